/**
 * The byline of a post: who wrote it and in what capacity, always in words (never colour
 * alone): the company and job title of staff, the profession of verified professionals,
 * "Moderator", "Deleted member", and a warning when a name imitates a verified one.
 */
import { html, nothing } from 'lit';
import type { PublicAuthor } from '../../moderation/types.js';
import type { Translate } from '../i18n/index.js';

export function authorName(author: PublicAuthor, t: Translate): string {
  return author.kind === 'deleted' ? t('deletedMember') : author.name;
}

export function renderAuthor(author: PublicAuthor, t: Translate) {
  const a = author.affiliation;
  return html`<span class=${author.kind === 'deleted' ? 'name deleted' : 'name'}>${authorName(author, t)}</span>
    ${a
      ? html`<span part="badge staff-badge" class="badge staff">${t('staffBadge', { company: a.companyName, title: a.jobTitle })}</span>`
      : nothing}
    ${author.professional
      ? html`<span part="badge" class="badge">${author.professional.profession}</span>`
      : nothing}
    ${author.moderator ? html`<span part="badge moderator-badge" class="badge moderator">${t('moderator')}</span>` : nothing}
    ${author.lookalike ? html`<span part="badge lookalike-badge" class="badge lookalike">${t('lookalike')}</span>` : nothing}`;
}
