import { describe, expect, it } from 'vitest';
import { currentRules, nextRuleVersion, ruleAt, templateRules, RULE_TEMPLATE } from '../../../moderation/rules.js';
import { TDB_CATEGORIES } from '../../../moderation/reasons.js';

const v1 = templateRules('2025-01-01T00:00:00.000Z');

describe('rules', () => {
  it('the template covers company participation and maps onto database categories', () => {
    expect(RULE_TEMPLATE.map((r) => r.id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11']);
    for (const rule of RULE_TEMPLATE) expect(TDB_CATEGORIES).toContain(rule.category);
    expect(RULE_TEMPLATE.filter((r) => r.kind === 'commitment').map((r) => r.id)).toEqual(['R7', 'R8']);
  });

  it('a change is the next version; an unchanged rule is refused; retired rules leave the current set', () => {
    const draft = { ...RULE_TEMPLATE[0]!, title: 'Be kind' };
    const next = nextRuleVersion(v1, { id: 'R1', draft, changeNote: 'x', effectiveFrom: '2025-02-01T00:00:00.000Z' }, { companyAccounts: 0 });
    expect(next.ok && next.rule.version).toBe(2);
    const same = nextRuleVersion(v1, { id: 'R1', draft: RULE_TEMPLATE[0]!, changeNote: 'x', effectiveFrom: 'z' }, { companyAccounts: 0 });
    expect(same.ok).toBe(false);
    const retired = nextRuleVersion(v1, { id: 'R10', retire: true, changeNote: 'x', effectiveFrom: '2025-02-01T00:00:00.000Z' }, { companyAccounts: 0 });
    expect(retired.ok).toBe(true);
    if (retired.ok) expect(currentRules([...v1, retired.rule]).map((r) => r.id)).not.toContain('R10');
    if (next.ok) {
      expect(ruleAt([...v1, next.rule], 'R1', '2025-01-15T00:00:00.000Z')!.version).toBe(1);
      expect(ruleAt([...v1, next.rule], 'R1', '2025-03-01T00:00:00.000Z')!.version).toBe(2);
    }
  });

  it('the affiliation rule stays while company accounts exist', () => {
    const refused = nextRuleVersion(v1, { id: 'R3', retire: true, changeNote: 'x', effectiveFrom: 'z' }, { companyAccounts: 2 });
    expect(refused.ok || refused.refusal.code).toBe('affiliation-rule-required');
    expect(nextRuleVersion(v1, { id: 'R3', retire: true, changeNote: 'x', effectiveFrom: 'z' }, { companyAccounts: 0 }).ok).toBe(true);
  });
});
