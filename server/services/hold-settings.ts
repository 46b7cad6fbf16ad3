/**
 * A site's hold options (issue 16), read: a leaf of the services' tree, so the "how moderation
 * works" page and the transparency report can show them without importing the posting path.
 * Changed by admins through holds.ts (`updateHoldSettings`), which checks the rules they cite.
 */
import { describeHoldSettings, holdSettingsOf } from '../../moderation/holds.js';
import type { HoldReasonView, HoldSettings } from '../../moderation/spam-schemas.js';
import type { AppContext } from './context.js';

/** The site setting the options are stored under (presenter.ts reads it too). */
export const HOLD_SETTINGS_KEY = 'hold-settings';
/** The detector names automated flags carry (reports.detector), one per hold reason. */
export const holdDetector = (kind: HoldReasonView['kind']) => `hold:${kind}`;

export async function holdSettings(ctx: AppContext, site: string): Promise<HoldSettings> {
  const raw = await ctx.store.getSetting(site, HOLD_SETTINGS_KEY);
  if (!raw) return holdSettingsOf(null);
  try {
    return holdSettingsOf(JSON.parse(raw) as Partial<HoldSettings>);
  } catch {
    return holdSettingsOf(null);
  }
}

/** GET /moderation/holds/settings: public, as everything about how the site moderates. */
export async function publicHoldSettings(ctx: AppContext, site: string) {
  const settings = await holdSettings(ctx, site);
  // Word lists are tied to a rule; the words themselves are not published (that would teach spammers).
  return {
    settings: { ...settings, wordLists: settings.wordLists.map((l) => ({ ruleId: l.ruleId, action: l.action, words: [] as string[], wordCount: l.words.length })) },
    described: describeHoldSettings(settings),
  };
}

