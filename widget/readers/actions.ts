/**
 * The readers' chunk of `<parley-discussion>` (issue 16; loaded on the first press of one of
 * its buttons, so the first render does not carry it):
 * - `toggleHelpful()`: "Helpful" on or off (`PUT`/`DELETE /posts/{id}/helpful`);
 * - `togglePin()`: a moderator pins a top-level post or unpins it (`PUT`/`DELETE /topics/{topic}/pin`);
 * - `<parley-delete-post>`: "Delete my post" as a modal confirm dialog (`DELETE /posts/{id}`
 *   with `{confirm: true}`). Properties `discussion`, `postId`, `token`, `lang`. Focus starts on
 *   Cancel (the safe choice); Escape cancels. Event `parley-close` `{ deleted: boolean }`.
 * Every answer is merged into the discussion's session at once (the socket's `post:updated`
 * brings the same to everyone else); a refusal comes back as words to show.
 */
import type { HelpfulSummary } from '../../moderation/spam-schemas.js';
import type { Post, TopicInfo } from '../../moderation/types.js';
import { isFailure, type Failure } from '../client/outcome.js';
import { requestJson } from '../client/request.js';
import type { TopicSession } from '../client/session.js';
import { mergePosts } from '../client/state.js';
import { translator } from '../i18n/index.js';
import { ConfirmDialog, type ConfirmWords } from './confirm-dialog.js';

/** The parts of `<parley-discussion>` the readers' chunk uses. */
export interface ReaderHost extends HTMLElement {
  server: string;
  site: string;
  topic: string;
  readonly client?: TopicSession;
  requestUpdate(): void;
}

const base = (d: ReaderHost) => `${(d.server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(d.site)}`;

const failureText = (f: Failure) => f.error.message || f.error.code;

/** Marks or unmarks `post` helpful for the viewer; resolves to an error text, or '' when done. */
export async function toggleHelpful(d: ReaderHost, post: Post, token: string): Promise<string> {
  const on = !post.helpful?.mine;
  const res = await requestJson<{ helpful: HelpfulSummary }>(on ? 'PUT' : 'DELETE', `${base(d)}/posts/${encodeURIComponent(post.id)}/helpful`, { token });
  if (isFailure(res)) return failureText(res);
  const s = d.client;
  const held = s?.state.posts.get(post.id);
  // The count is the server's; whether it is mine is what this viewer just did.
  if (s && held) s.state = { ...s.state, posts: new Map(s.state.posts).set(post.id, { ...held, helpful: { ...res.helpful, mine: on } }) };
  d.requestUpdate();
  return '';
}

/** Pins `postId` at the top of the topic, or unpins it; resolves to an error text, or ''. */
export async function togglePin(d: ReaderHost, postId: string, pinnedNow: boolean, token: string): Promise<string> {
  const url = `${base(d)}/topics/${encodeURIComponent(d.topic)}/pin`;
  const res = await requestJson<{ topic: TopicInfo }>(pinnedNow ? 'DELETE' : 'PUT', url, { token, body: pinnedNow ? {} : { postId } });
  if (isFailure(res)) return failureText(res);
  if (d.client) d.client.topic = res.topic;
  d.requestUpdate();
  return '';
}

/** "Delete my post?" (see ./confirm-dialog.ts). Property `postId`; `parley-close` `{ deleted }`. */
export class ParleyDeletePost extends ConfirmDialog {
  static override properties = { postId: {} };
  declare postId: string;
  protected readonly kind = 'delete';
  protected readonly doneKey = 'deleted';

  constructor() {
    super();
    this.postId = '';
  }

  protected words(): ConfirmWords {
    const t = translator(this.lang);
    return { title: t('deleteTitle'), text: t('deleteText'), confirm: t('deleteConfirm'), cancel: t('cancel') };
  }

  protected async act(d: ReaderHost, token: string): Promise<string> {
    const res = await requestJson<{ post: Post }>('DELETE', `${base(d)}/posts/${encodeURIComponent(this.postId)}`, { token, body: { confirm: true } });
    if (isFailure(res)) return translator(this.lang)('actionFailed', { message: failureText(res) });
    if (d.client) d.client.state = mergePosts(d.client.state, [res.post]).state;
    d.requestUpdate();
    return '';
  }
}

if (!customElements.get('parley-delete-post')) customElements.define('parley-delete-post', ParleyDeletePost);

declare global {
  interface HTMLElementTagNameMap {
    'parley-delete-post': ParleyDeletePost;
  }
}
