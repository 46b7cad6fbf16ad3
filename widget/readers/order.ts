/**
 * The order readers see (issue 16): moderation/threads.ts owns it, so that the widget and the
 * server's HTML rendition of a topic (server/render/topic-html.ts) arrange one conversation the
 * same way. Re-exported here for the widget's imports.
 */
export { arrangeThreads } from '../../moderation/threads.js';
