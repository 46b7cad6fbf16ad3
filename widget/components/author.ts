/**
 * The byline of a post: who wrote it and in what capacity, always in words (never colour
 * alone): the company and job title of staff, the profession of verified professionals,
 * "Moderator", "Deleted member", a warning when a name imitates a verified one, and "Imported
 * comment" for posts brought in from Disqus, WordPress or another Parley (issue 15).
 *
 * The staff badge is a button (`data-company`): `<parley-discussion>` opens the company card
 * (lazily loaded) when it is pressed. Its text says who verified the person and when.
 */
import { html, nothing } from 'lit';
import type { PublicAuthor } from '../../moderation/types.js';
import type { Translate } from '../i18n/index.js';
import { formatDate } from './time.js';

export function authorName(author: PublicAuthor, t: Translate): string {
  return author.kind === 'deleted' ? t('deletedMember') : author.name;
}

export function renderAuthor(author: PublicAuthor, t: Translate, lang?: string) {
  const a = author.affiliation;
  return html`<bdi class=${author.kind === 'deleted' ? 'name deleted' : 'name'}>${authorName(author, t)}</bdi>
    ${a
      ? html`<button type="button" part="badge staff-badge" class="badge staff" aria-haspopup="dialog" data-company=${a.companyId}>${t('staffBadge', { company: a.companyName, title: a.jobTitle })}
          <span class="verified">${t('staffVerified', { org: a.verifiedBy, date: formatDate(a.verifiedAt, lang) })}</span></button>`
      : nothing}
    ${author.professional
      ? html`<span part="badge professional-badge" class="badge pro">${t('professional', { profession: author.professional.profession })}</span>`
      : nothing}
    ${author.moderator ? html`<span part="badge moderator-badge" class="badge moderator">${t('moderator')}</span>` : nothing}
    ${author.lookalike ? html`<span part="badge lookalike-badge" class="badge lookalike">${t('lookalike')}</span>` : nothing}
    ${author.imported ? html`<span part="badge imported-badge" class="badge imported">${t('imported')}</span>` : nothing}`;
}
