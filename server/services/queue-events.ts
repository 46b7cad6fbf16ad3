/**
 * "The queue changed" (issue 16): moderators' open queues update live ("N new"). Sent to the
 * site's moderators' room only (sockets join it with `moderation:join`, which checks the role);
 * never to readers, staff or the author. Sent after the change is stored, off the request path:
 * a failure to count is logged and never fails the write that caused it.
 */
import type { QueueChanged } from '../../moderation/spam-schemas.js';
import type { AppContext } from './context.js';

/** Items waiting: posts with open reports or flags (held posts among them) and open appeals. */
export async function waitingCount(ctx: AppContext, site: string): Promise<number> {
  const [reports, appeals] = await Promise.all([
    ctx.store.listReports(site, { status: 'open', limit: 10_000 }),
    ctx.store.listAppeals(site, { status: 'open' }),
  ]);
  return new Set(reports.map((r) => r.postId)).size + appeals.length;
}

export function queueChanged(ctx: AppContext, site: string, reason: QueueChanged['reason'], postId: string | null): void {
  if (!ctx.broadcast.queueChanged) return;
  waitingCount(ctx, site).then(
    (waiting) => ctx.broadcast.queueChanged?.(site, { site, reason, postId, waiting }),
    (err: unknown) => ctx.log.error({ err, site }, 'counting the moderation queue failed; no queue:changed event sent'),
  );
}
