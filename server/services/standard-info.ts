/**
 * Which staff posts carry the site's standard safety information (its required boilerplate,
 * `PUT /admin/boilerplate`): shown on the post as a plain line, computed from the current text
 * when posts are presented, like product mentions. The compiled boilerplate is cached per site
 * until the setting changes.
 */
import { compileStandardInfo, includesStandardInfo, type StandardInfo } from '../../moderation/detectors/index.js';
import type { PostRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { BOILERPLATE_SETTING, boilerplateOf } from './scripted-replies.js';

const CACHE = new WeakMap<AppContext, Map<string, { raw: string | null; info: StandardInfo | null }>>();

async function infoOf(ctx: AppContext, site: string): Promise<StandardInfo | null> {
  const raw = await ctx.store.getSetting(site, BOILERPLATE_SETTING);
  let sites = CACHE.get(ctx);
  if (!sites) CACHE.set(ctx, (sites = new Map()));
  const cached = sites.get(site);
  if (cached && cached.raw === raw) return cached.info;
  const info = raw ? compileStandardInfo(await boilerplateOf(ctx, site)) : null;
  sites.set(site, { raw, info });
  return info;
}

/** Ids of the visible staff posts among `records` that include the site's standard safety information. */
export async function standardInfoFor(ctx: AppContext, site: string, records: readonly PostRecord[]): Promise<Set<string>> {
  const staff = records.filter((r) => r.authorSnapshot.affiliation && r.status === 'visible');
  if (staff.length === 0) return new Set();
  const info = await infoOf(ctx, site);
  if (!info) return new Set();
  return new Set(staff.filter((r) => includesStandardInfo(r.body, info)).map((r) => r.id));
}
