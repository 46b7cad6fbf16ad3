/**
 * Private moderator notes on an account (issue 16): moderators and admins of the site only,
 * never company staff, never the account itself. The public log records that a note exists as a
 * commitment (a salted hash of its text, kept beside the log for moderators); the text never
 * enters the public leaf.
 */
import { ParleyError } from '../../moderation/errors.js';
import { parseWith } from '../../moderation/schemas.js';
import { ModeratorNoteSchema, SPAM_LIMITS, type ModeratorNote } from '../../moderation/spam-schemas.js';
import type { ModeratorNoteRecord } from '../store/spam-store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { moderatorPublicLabel } from './moderation-settings.js';
import { valid } from './validate.js';

const userIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

async function accountOf(ctx: AppContext, actor: Actor, userId: string) {
  requirePermission(actor, 'moderate');
  if (!userIdPattern.test(userId)) throw new ParleyError('not_found', 'No such member on this site.');
  const user = await ctx.store.getUser(actor.site.id, userId);
  if (!user) throw new ParleyError('not_found', 'No such member on this site.');
  return user;
}

async function views(ctx: AppContext, site: string, notes: ModeratorNoteRecord[]): Promise<ModeratorNote[]> {
  const names = new Map<string, string>();
  for (const id of new Set(notes.map((n) => n.authorId))) names.set(id, (await ctx.store.getUser(site, id))?.displayName ?? 'Former moderator');
  return notes.map((n) => ({ id: n.id, userId: n.userId, by: { id: n.authorId, name: names.get(n.authorId)! }, text: n.text, createdAt: n.createdAt, logIndex: n.logIndex }));
}

export async function listModeratorNotes(ctx: AppContext, actor: Actor, userId: string): Promise<{ notes: ModeratorNote[] }> {
  await accountOf(ctx, actor, userId);
  return { notes: await views(ctx, actor.site.id, await ctx.store.moderatorNotes(actor.site.id, userId, SPAM_LIMITS.notesListMax)) };
}

export async function addModeratorNote(ctx: AppContext, actor: Actor, userId: string, input: unknown): Promise<{ note: ModeratorNote }> {
  const user = await accountOf(ctx, actor, userId);
  const { text } = valid(parseWith(ModeratorNoteSchema, input));
  const site = actor.site.id;
  const note: ModeratorNoteRecord = { id: ctx.newId(), site, userId: user.id, authorId: actor.id, text, createdAt: ctx.now().toISOString(), logIndex: null };
  const label = await moderatorPublicLabel(ctx, site, actor.id);
  await ctx.store.transaction(async () => {
    await ctx.store.addModeratorNote(note);
    const ref = await ctx.audit.append({
      site, kind: 'moderation.note', at: note.createdAt,
      actor: { type: 'moderator', label, userId: actor.id },
      subject: {},
      data: { noteId: note.id },
      // The account and the text are committed, never published.
      sensitive: { subjectUserId: user.id, note: text },
    });
    if (ref.index >= 0) {
      await ctx.store.setModeratorNoteLogIndex(site, note.id, ref.index);
      note.logIndex = ref.index;
    }
  });
  return { note: (await views(ctx, site, [note]))[0]! };
}
