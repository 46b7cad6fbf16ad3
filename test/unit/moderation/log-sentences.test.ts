import { describe, expect, it } from 'vitest';
import { describeLogEntry, kindInWords, logSentenceText, reasonFields, valueWordsKey, type LogLeafView } from '../../../moderation/log-sentences.js';
import { logEn, logMessages } from '../../../widget/i18n/log.js';

/** The widget's way of filling a message: the English table, `{name}` placeholders. */
const translate = (table: Record<string, string | undefined>) => (key: string, vars?: Record<string, string | number>) =>
  (table[key] ?? key).replace(/\{(\w+)\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m));
const t = translate(logEn);
const nl = translate({ ...logEn, ...logMessages.nl });
const date = (iso: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
const say = (leaf: LogLeafView, titles: Record<string, string> = {}) => logSentenceText(describeLogEntry(leaf, (id) => titles[id]), t, date);

const removal: LogLeafView = {
  kind: 'moderation.remove',
  at: '2026-11-23T10:00:00.000Z',
  actor: { type: 'moderator', label: 'Moderator 3' },
  subject: { postId: 'p-1', topic: 'treatments', ruleId: 'R10' },
  data: {
    actionId: 'a-1', type: 'remove', reason: 'Names a prescription-only medicine as a cure', facts: 'The post recommends a dose.',
    rule: { id: 'R10', version: 2 }, reports: 3, reverses: null, appealId: null,
    statement: { decision_summary: 'The post is no longer shown.', incompatible_content_ground: 'R10 v2: No dosing advice', decision_facts: 'The post recommends a dose.', source: 'member_report', automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED' },
  },
};

describe('the public log in sentences', () => {
  it('says who removed a post, where, and under which rule, by the topic’s title', () => {
    expect(say(removal, { treatments: 'New treatments' })).toBe('Moderator 3 removed a post in “New treatments” under rule R10.');
  });

  it('falls back to the topic id when the title is unknown, and leaves out what the entry does not say', () => {
    expect(say(removal)).toBe('Moderator 3 removed a post in “treatments” under rule R10.');
    expect(say({ kind: 'moderation.lock', at: removal.at, actor: { label: 'Moderator 1' } })).toBe('Moderator 1 closed a conversation.');
  });

  it('says a reversal on appeal in plain words, never "upheld in the appellant’s favour"', () => {
    const restore: LogLeafView = {
      kind: 'moderation.restore', at: removal.at, actor: { label: 'Moderator 2' }, subject: { postId: 'p-1', topic: 'treatments' },
      data: { reverses: 'a-1', appealId: 'ap-1', reason: 'Reversed on appeal: the dose was the label’s own' }, refersTo: 4,
    };
    expect(say(restore, { treatments: 'New treatments' })).toBe('Moderator 2 restored a post in “New treatments”. Decision reversed on appeal. Follows up entry 4.');
    const decided: LogLeafView = { kind: 'appeal.decided', at: removal.at, actor: { label: 'Moderator 2' }, data: { outcome: 'reversed', reason: 'x' }, refersTo: 4 };
    expect(say(decided)).toBe('Decision reversed on appeal by Moderator 2. Follows up entry 4.');
    expect(say({ ...decided, data: { outcome: 'upheld' } })).toBe('Moderator 2 decided an appeal: the decision stands. Follows up entry 4.');
    expect(say(decided)).not.toMatch(/appellant/);
  });

  it('gives a suspension’s end as a date, formatted by the caller', () => {
    const suspend: LogLeafView = { kind: 'moderation.suspend', at: removal.at, actor: { label: 'Moderator 1' }, subject: { ruleId: 'R1' }, data: { endsAt: '2026-12-24T00:00:00.000Z' } };
    expect(say(suspend)).toBe('Moderator 1 suspended a member under rule R1 until 24 December 2026.');
  });

  it('names staff verified by their public name and roles in words', () => {
    expect(say({ kind: 'affiliation.added', at: removal.at, actor: { label: 'Site admin' }, subject: { userLabel: 'Dr. Sarah Lindqvist' } }))
      .toBe('Site admin verified Dr. Sarah Lindqvist as company staff.');
    expect(say({ kind: 'role.granted', at: removal.at, actor: { label: 'Site admin' }, data: { role: 'moderator' } })).toBe('Site admin gave someone the role “moderator”.');
  });

  it('never fails on a kind it does not know: it says the kind in words', () => {
    expect(kindInWords('site.sign-in-methods')).toBe('site sign-in-methods');
    expect(say({ kind: 'site.sign-in-methods', at: removal.at, actor: { label: 'Site admin' } })).toBe('Site admin recorded “site sign-in-methods”.');
  });

  it('lists the statement of reasons as labelled fields in a fixed order, enumerations as words', () => {
    const fields = reasonFields(removal);
    expect(fields.map((f) => f.key)).toEqual(['logFieldDecision', 'logFieldRule', 'logFieldReason', 'logFieldFacts', 'logFieldSource', 'logFieldAutomated', 'logFieldReports']);
    expect(fields.find((f) => f.key === 'logFieldRule')!.value).toBe('R10 v2: No dosing advice');
    expect(fields.find((f) => f.key === 'logFieldReports')).toEqual({ key: 'logFieldReports', value: 3, as: 'count' });
    const source = fields.find((f) => f.key === 'logFieldSource')!;
    expect(source.as).toBe('words');
    expect(t(valueWordsKey(String(source.value))!)).toBe('A member reported it');
    expect(t(valueWordsKey('AUTOMATED_DECISION_NOT_AUTOMATED')!)).toBe('Decided by a person');
    // No nulls, no JSON, no empty fields.
    expect(reasonFields({ kind: 'moderation.lock', at: removal.at, data: { reason: null, endsAt: null, reports: 0, statement: null } })).toEqual([]);
  });

  it('has every sentence, field and value in the English table, and reads in Dutch', () => {
    const keys = new Set<string>();
    for (const kind of ['moderation.remove', 'moderation.restore', 'moderation.label', 'moderation.unlabel', 'moderation.lock', 'moderation.unlock',
      'moderation.restrict-replies', 'moderation.lift-reply-restriction', 'moderation.suspend', 'moderation.lift-suspension', 'moderation.ban',
      'moderation.unban', 'moderation.reopen-report', 'report.dismissed', 'misuse.warning', 'misuse.restriction', 'question.out-of-scope', 'rule.changed',
      'role.granted', 'role.revoked', 'affiliation.added', 'professional.verified', 'company.pledge', 'detection.scripted', 'detection.adverse-event',
      'safety.forwarded', 'site.created', 'site.updated', 'key.rotated', 'appeal.decided', 'unknown.kind']) {
      const s = describeLogEntry({ ...removal, kind, data: { ...removal.data, endsAt: removal.at, reverses: 'a', appealId: 'b' }, refersTo: 1 });
      for (const p of [s.lead, ...s.clauses, ...s.more]) keys.add(p.key);
      for (const f of s.fields) keys.add(f.key);
    }
    for (const v of ['member_report', 'company_affiliated_report', 'illegal_content_notice', 'automated_flag', 'own_initiative', 'upheld', 'reversed',
      'AUTOMATED_DECISION_FULLY', 'AUTOMATED_DECISION_PARTIALLY', 'AUTOMATED_DECISION_NOT_AUTOMATED']) keys.add(valueWordsKey(v)!);
    for (const key of keys) expect(logEn, key).toHaveProperty(key);
    expect(logSentenceText(describeLogEntry(removal, () => 'Nieuwe behandelingen'), nl, date)).toBe('Moderator 3 heeft een bericht verwijderd in “Nieuwe behandelingen” op grond van regel R10.');
  });
});
