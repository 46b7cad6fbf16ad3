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

export function moderationSettings(ctx: AppContext, site: string): ModerationSettings {
  const stored = ctx.store.getSetting(site, KEY);
  const parsed = stored ? (JSON.parse(stored) as Partial<ModerationSettings>) : {};
  return {
    publicModeratorNames: parsed.publicModeratorNames ?? 'pseudonym',
    territorialScope: parsed.territorialScope ?? [],
    externalRedress: parsed.externalRedress ?? DEFAULT_EXTERNAL_REDRESS,
    reportLicence: parsed.reportLicence ?? 'CC-BY-4.0',
  };
}

export function updateModerationSettings(ctx: AppContext, actor: Actor, input: unknown): { settings: ModerationSettings } {
  requirePermission(actor, 'manage-rules');
  const parsed = parseWith(ModerationSettingsSchema, input);
  if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
  const settings = { ...moderationSettings(ctx, actor.site.id), ...parsed.value } as ModerationSettings;
  ctx.store.setSetting(actor.site.id, KEY, JSON.stringify(settings));
  const ref = ctx.audit.append({
    site: actor.site.id, kind: 'moderation.settings-changed', at: ctx.now().toISOString(),
    actor: { type: 'admin', label: 'Site admin', userId: actor.id },
    data: { publicModeratorNames: settings.publicModeratorNames, territorialScope: settings.territorialScope, reportLicence: settings.reportLicence },
  });
  void ref;
  return { settings };
}

/** How a moderator appears in public: their name, or a stable pseudonym ("Moderator 3"), as the site chooses. */
export function moderatorPublicLabel(ctx: AppContext, site: string, moderatorId: string): string {
  if (moderatorId === 'system') return 'Parley (misuse policy)';
  if (moderationSettings(ctx, site).publicModeratorNames === 'name') {
    const user = ctx.store.getUser(site, moderatorId);
    if (user && user.kind !== 'deleted') return user.displayName;
  }
  return `Moderator ${ctx.store.moderatorNumber(site, moderatorId)}`;
}

/** The public base URL of this server (for durable links in notices and statements). */
export function publicBase(ctx: AppContext): string {
  return ctx.selfOrigins()[0] ?? '';
}

export function redressFor(ctx: AppContext, site: string, at: string, actionId: string): Redress {
  return {
    appealUntil: appealDeadline(at),
    appealHow: `Appeal for free until ${appealDeadline(at).slice(0, 10)}: in the discussion widget, or POST ${publicBase(ctx)}/api/sites/${site}/appeals {"actionId":"${actionId}","info":"..."}. A different moderator decides.`,
    outOfCourt: moderationSettings(ctx, site).externalRedress,
    judicial: 'You can always take the matter to a court.',
  };
}

/** Remembers where a record sits in the public audit log (the log returns -1 while it is not enabled). */
export function recordLogRef(ctx: AppContext, site: string, kind: 'action' | 'appeal' | 'rule' | 'report', id: string, index: number): void {
  if (index >= 0) ctx.store.setLogRef(site, kind, id, index);
}
