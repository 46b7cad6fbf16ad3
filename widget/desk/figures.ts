/**
 * The public figures on the questions put to a company and its pledge (issue 14), as the company
 * card and the company desk show them: open questions and the oldest wait, the share answered,
 * the median time to answer and the share answered within the pledge, over `windowWeeks` weeks.
 * Counted per question, never per person (docs/company-desk.md). Plain text, no chart: every
 * figure reads the same to a screen reader.
 */
import { html, nothing } from 'lit';
import type { Pledge, QuestionFigures } from '../../moderation/types.js';
import { duration } from '../components/time.js';
import { deskMessages } from '../i18n/desk.js';
import { translator } from '../i18n/index.js';

export { deskMessages };
export const deskTranslator = (lang: string) => translator(lang, deskMessages);
export type DeskTranslate = ReturnType<typeof deskTranslator>;

/** "3 days" for a pledge's promise. */
export const pledgeDays = (days: number, t: DeskTranslate) => t('days', { n: days });

export function renderQuestionFigures(
  company: string,
  f: QuestionFigures | undefined,
  pledge: Pledge | null | undefined,
  opts: { lang: string; level: number },
) {
  const { lang, level } = opts;
  const t = deskTranslator(lang);
  const pct = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const num = new Intl.NumberFormat(lang);
  const date = (iso: string) => new Date(iso).toLocaleDateString(lang, { dateStyle: 'medium' });
  return html`<div data-question-figures>
    <div role="heading" aria-level=${level}>${t('figuresHeading', { company })}</div>
    <p data-pledge>
      ${pledge?.approvedAt
        ? t('pledgeLine', { company, text: pledge.text, days: pledgeDays(pledge.answerWithinDays, t), date: date(pledge.approvedAt) })
        : t('pledgeNone', { company })}
    </p>
    ${f
      ? html`<p data-figures>
          ${f.asked
            ? t('figuresWindow', { weeks: f.windowWeeks, asked: f.asked, answered: num.format(f.answered), outOfScope: num.format(f.outOfScope) })
            : t('figuresNone', { company, weeks: f.windowWeeks })}
          <span data-open>${t('figuresOpen', { open: num.format(f.open) })}</span>
          ${f.oldestWaitHours !== null ? html`<span data-oldest>${t('figuresOldest', { wait: duration(f.oldestWaitHours, lang) })}</span>` : nothing}
          ${f.answeredShare !== null ? html`<span data-answered>${t('figuresAnswered', { share: pct.format(f.answeredShare) })}</span>` : nothing}
          ${f.medianAnswerHours !== null ? html`<span data-median-answer>${t('figuresMedian', { wait: duration(f.medianAnswerHours, lang) })}</span>` : nothing}
          ${f.withinPledgeShare !== null ? html`<span data-within>${t('figuresWithin', { share: pct.format(f.withinPledgeShare) })}</span>` : nothing}
        </p>
        <p class="muted">${t('figuresHow')}</p>`
      : nothing}
  </div>`;
}
