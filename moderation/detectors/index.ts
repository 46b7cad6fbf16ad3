/**
 * Pure moderation detectors (no I/O, no Node-only APIs): import from here in the server,
 * the widget and tests alike, so every environment runs the same detection logic.
 */
export * from './text-normalise.js';
export * from './near-duplicate.js';
export * from './adverse-event-lexicon.js';
export * from './prescription-mention.js';
export * from './adverse-event.js';
export * from './presence.js';
export * from './standard-info.js';
