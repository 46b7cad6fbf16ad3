/** A site's moderation settings (stored as site settings), moderators' public labels, redress text, log links. */
import { ParleyError } from '../../moderation/errors.js';
import { appealDeadline } from '../../moderation/appeals.js';
import { ModerationSettingsSchema } from '../../moderation/moderation-schemas.js';
import { parseWith } from '../../moderation/schemas.js';
import type { Redress } from '../../moderation/reasons.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';

export interface ModerationSettings {
  publicModeratorNames: 'name' | 'pseudonym';
  territorialScope: string[];
  externalRedress: string;
  reportLicence: 'CC-BY-4.0' | 'CC0-1.0';
}

const KEY = 'moderation.settings';
export const DEFAULT_EXTERNAL_REDRESS =
  'If you disagree with the outcome of your appeal, you may turn to a certified out-of-court dispute settlement body, ' +
  'to the Digital Services Coordinator of your country, or to a court. Appealing here first is free and does not stop you doing so.';

export async function moderationSettings(ctx: AppContext, site: string): Promise<ModerationSettings> {
  const stored = await ctx.store.getSetting(site, KEY);
  const parsed = stored ? (JSON.parse(stored) as Partial<ModerationSettings>) : {};
  return {
    publicModeratorNames: parsed.publicModeratorNames ?? 'pseudonym',
    territorialScope: parsed.territorialScope ?? [],
    externalRedress: parsed.externalRedress ?? DEFAULT_EXTERNAL_REDRESS,
    reportLicence: parsed.reportLicence ?? 'CC-BY-4.0',
  };
}

export async function updateModerationSettings(ctx: AppContext, actor: Actor, input: unknown): Promise<{ settings: ModerationSettings }> {
  requirePermission(actor, 'manage-rules');
  const parsed = parseWith(ModerationSettingsSchema, input);
  if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
  // Read, merge and write in one transaction: two admins saving at once cannot lose either change.
  const settings = await ctx.store.transaction(async () => {
    const merged = { ...(await moderationSettings(ctx, actor.site.id)), ...parsed.value } as ModerationSettings;
    await ctx.store.setSetting(actor.site.id, KEY, JSON.stringify(merged));
    const ref = await ctx.audit.append({
      site: actor.site.id, kind: 'moderation.settings-changed', at: ctx.now().toISOString(),
      actor: { type: 'admin', label: 'Site admin', userId: actor.id },
      data: { publicModeratorNames: merged.publicModeratorNames, territorialScope: merged.territorialScope, reportLicence: merged.reportLicence },
    });
    void ref;
    return merged;
  });
  return { settings };
}

/** How a moderator appears in public: their name, or a stable pseudonym ("Moderator 3"), as the site chooses. */
export async function moderatorPublicLabel(ctx: AppContext, site: string, moderatorId: string): Promise<string> {
  return (await moderatorPublicLabels(ctx, site, [moderatorId])).get(moderatorId)!;
}

/** moderatorPublicLabel for several moderators at once: the site's settings are read once, the rest in parallel. */
export async function moderatorPublicLabels(ctx: AppContext, site: string, moderatorIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(moderatorIds)];
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const byName = ids.some((id) => id !== 'system') && (await moderationSettings(ctx, site)).publicModeratorNames === 'name';
  await Promise.all(ids.map(async (moderatorId) => {
    // 'system' acts for the misuse policy and for word lists that label (issue 16): both automated.
    if (moderatorId === 'system') return out.set(moderatorId, 'Parley (automated)');
    if (byName) {
      const user = await ctx.store.getUser(site, moderatorId);
      if (user && user.kind !== 'deleted') return out.set(moderatorId, user.displayName);
    }
    return out.set(moderatorId, `Moderator ${await ctx.store.moderatorNumber(site, moderatorId)}`);
  }));
  return out;
}

/** The public base URL of this server (for durable links in notices and statements). */
export function publicBase(ctx: AppContext): string {
  return ctx.selfOrigins()[0] ?? '';
}

export async function redressFor(ctx: AppContext, site: string, at: string, actionId: string): Promise<Redress> {
  return {
    appealUntil: appealDeadline(at),
    appealHow: `Appeal for free until ${appealDeadline(at).slice(0, 10)}: in the discussion widget, or POST ${publicBase(ctx)}/api/sites/${site}/appeals {"actionId":"${actionId}","info":"..."}. A different moderator decides.`,
    outOfCourt: (await moderationSettings(ctx, site)).externalRedress,
    judicial: 'You can always take the matter to a court.',
  };
}

/** Remembers where a record sits in the public audit log (the log returns -1 while it is not enabled). */
export async function recordLogRef(ctx: AppContext, site: string, kind: 'action' | 'appeal' | 'rule' | 'report', id: string, index: number): Promise<void> {
  if (index >= 0) await ctx.store.setLogRef(site, kind, id, index);
}
