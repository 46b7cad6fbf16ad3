/**
 * Bulk moderation (issue 16): one request, one decision applied to several queue items. Each
 * target is still its own action with its own statement of reasons, audit-log entry and notices,
 * taken exactly as POST /moderation/actions takes one; a target that fails (already decided, not
 * found, one's own post) is reported in the answer and does not stop the others.
 */
import { ParleyError } from '../../moderation/errors.js';
import { TakeActionSchema } from '../../moderation/moderation-schemas.js';
import { parseWith } from '../../moderation/schemas.js';
import { BulkActionSchema, type BulkActionAnswer } from '../../moderation/spam-schemas.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { takeAction } from './moderation.js';
import { valid } from './validate.js';

export async function bulkAction(ctx: AppContext, actor: Actor, input: unknown): Promise<BulkActionAnswer> {
  requirePermission(actor, 'moderate');
  const { targets, ...decision } = valid(parseWith(BulkActionSchema, input));
  const common = Object.fromEntries(Object.entries(decision).filter(([, value]) => value !== undefined));
  // The decision itself is checked once, up front: a short reason fails the request, not each target.
  valid(parseWith(TakeActionSchema, { ...common, ...targets[0] }));
  const results: BulkActionAnswer['results'] = [];
  for (const target of targets) {
    try {
      const { action } = await takeAction(ctx, actor, { ...common, ...target });
      results.push({ target, ok: true, actionId: action.id, logIndex: action.logIndex });
    } catch (error) {
      if (!(error instanceof ParleyError)) throw error;
      results.push({ target, ok: false, error: { code: error.code, message: error.message } });
    }
  }
  const done = results.filter((r) => r.ok).length;
  return { results, done, failed: results.length - done };
}
