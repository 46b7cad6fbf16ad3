import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, ACTION_TYPES, buildStatement, checkAction, postingRefusal, sourceOfReports } from '../../../moderation/actions.js';
import { templateRules } from '../../../moderation/rules.js';
import { checkTransparencyDatabaseStatement, toTransparencyDatabase } from '../../../moderation/reasons.js';

const rules = templateRules('2025-01-01T00:00:00.000Z');
const rule = (id: string) => rules.find((r) => r.id === id)!;
const redress = { appealUntil: '2025-09-01T00:00:00.000Z', appealHow: 'appeal', outOfCourt: 'body', judicial: 'court' };

describe('actions', () => {
  it('every reversal points back to the action it reverses, and vice versa', () => {
    for (const type of ACTION_TYPES) {
      const kind = ACTION_KINDS[type];
      if (kind.reversedBy) expect(ACTION_KINDS[kind.reversedBy].reverses).toBe(type);
      if (kind.reverses) expect(ACTION_KINDS[kind.reverses].reversedBy).toBe(type);
    }
    for (const type of ['remove', 'suspend', 'ban'] as const) expect(ACTION_KINDS[type].humanOnly).toBe(true);
  });

  it('restrictions need a citable rule or a legal ground; commitments cannot be cited', () => {
    const base = { reason: 'Insult', facts: 'Facts in plain words.' };
    expect(checkAction({ type: 'remove', ...base }, { rule: null, actorId: 'm', subjectUserId: 'a' })?.code).toBe('rule-required');
    expect(checkAction({ type: 'remove', ruleId: 'R8', ...base }, { rule: rule('R8'), actorId: 'm', subjectUserId: 'a' })?.code).toBe('rule-not-citable');
    expect(checkAction({ type: 'remove', ground: 'illegal', ...base }, { rule: null, actorId: 'm', subjectUserId: 'a' })?.code).toBe('legal-ground-required');
    expect(checkAction({ type: 'suspend', ruleId: 'R1', ...base }, { rule: rule('R1'), actorId: 'm', subjectUserId: 'a' })?.code).toBe('days-required');
    expect(checkAction({ type: 'remove', ruleId: 'R1', ...base }, { rule: rule('R1'), actorId: 'a', subjectUserId: 'a' })?.code).toBe('own-content');
    expect(checkAction({ type: 'remove', ruleId: 'R1', ...base }, { rule: rule('R1'), actorId: 'm', subjectUserId: 'a' })).toBeNull();
    expect(checkAction({ type: 'restore', ...base }, { rule: null, actorId: 'm', subjectUserId: 'a', original: null })?.code).toBe('nothing-to-reverse');
    expect(checkAction({ type: 'restore', ...base }, { rule: null, actorId: 'm', subjectUserId: 'a', original: { action: { id: 'x', type: 'remove' }, reversed: true } })?.code).toBe('already-reversed');
  });

  it('the source of a decision follows its reports', () => {
    expect(sourceOfReports([])).toEqual({ source: 'own_initiative', automatedDetection: false });
    expect(sourceOfReports([{ source: 'automated', ground: 'rule' }])).toEqual({ source: 'automated_flag', automatedDetection: true });
    expect(sourceOfReports([{ source: 'company', ground: 'rule' }]).source).toBe('company_affiliated_report');
    expect(sourceOfReports([{ source: 'company', ground: 'rule' }, { source: 'member', ground: 'illegal' }]).source).toBe('illegal_content_notice');
  });

  it('statements of every restrictive action pass the database schema check', () => {
    for (const type of ACTION_TYPES.filter((t) => ACTION_KINDS[t].restrictive)) {
      const sor = buildStatement({
        site: 'alpha', actionId: `a-${type}`, intent: { type, ruleId: 'R1', reason: 'Reason', facts: 'Facts.', days: 3, labelText: 'Label' },
        rule: rule('R1'), ruleUrl: 'https://x.example/rules#R1', at: '2025-03-01T10:00:00.000Z',
        endsAt: ACTION_KINDS[type].timed ? '2025-03-04T10:00:00.000Z' : null, contentDate: '2025-02-27T10:00:00.000Z',
        source: 'member_report', automatedDetection: false, redress, territorialScope: ['NL'],
      })!;
      expect(sor.automated_decision).toBe('AUTOMATED_DECISION_NOT_AUTOMATED');
      expect(checkTransparencyDatabaseStatement(toTransparencyDatabase(sor)), type).toEqual([]);
    }
    // The machine's own decision (a word list's label) says so, and still passes the check.
    const machine = buildStatement({
      site: 'alpha', actionId: 'a-auto', intent: { type: 'label', ruleId: 'R1', reason: 'Word list', facts: 'Automated detection.', labelText: 'Label' },
      rule: rule('R1'), ruleUrl: 'https://x.example/rules#R1', at: '2025-03-01T10:00:00.000Z', endsAt: null, contentDate: null,
      source: 'automated_flag', automatedDetection: true, automatedDecision: true, redress, territorialScope: ['NL'],
    })!;
    expect(machine).toMatchObject({ automated_detection: true, automated_decision: 'AUTOMATED_DECISION_FULLY', source: 'automated_flag' });
    expect(checkTransparencyDatabaseStatement(toTransparencyDatabase(machine))).toEqual([]);
    expect(buildStatement({ site: 'a', actionId: 'b', intent: { type: 'restore', reason: 'r', facts: 'f' }, rule: null, ruleUrl: null, at: '2025-01-01T00:00:00.000Z', endsAt: null, contentDate: null, source: 'own_initiative', automatedDetection: false, redress, territorialScope: [] })).toBeNull();
  });

  it('posting is refused under a ban, a suspension, a lock or closed replies', () => {
    const base = { now: '2025-01-01T00:00:00.000Z', account: [], topicLocked: false, repliesClosed: false };
    expect(postingRefusal(base)).toBeNull();
    expect(postingRefusal({ ...base, account: [{ type: 'ban', endsAt: null }] })?.code).toBe('banned');
    expect(postingRefusal({ ...base, account: [{ type: 'suspend', endsAt: '2025-01-05T00:00:00.000Z' }] })?.code).toBe('suspended');
    expect(postingRefusal({ ...base, repliesClosed: true })?.code).toBe('replies-closed');
  });
});
