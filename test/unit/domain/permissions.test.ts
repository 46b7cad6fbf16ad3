import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, ROUTE_RULES, type Action } from '../../../moderation/permissions.js';
import type { Role } from '../../../moderation/types.js';

const ROLES: Role[] = ['reader', 'member', 'staff', 'moderator', 'admin'];

function documentedMatrix(): Map<string, boolean[]> {
  const text = fs.readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
  const rows = new Map<string, boolean[]>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim()).filter(Boolean);
    if (cells.length === 6 && (cells[1] === 'yes' || cells[1] === 'no')) rows.set(cells[0]!, cells.slice(1).map((c) => c === 'yes'));
  }
  return rows;
}

/** How a person holding one role is represented (every signed-in person is also a member). */
const holder = (role: Role): Role[] => (role === 'reader' ? ['reader'] : role === 'member' ? ['member'] : ['member', role]);

describe('the permission matrix', () => {
  it('docs/permissions.md documents exactly the matrix in code', () => {
    const documented = documentedMatrix();
    expect([...documented.keys()].sort()).toEqual(Object.keys(PERMISSIONS).sort());
    for (const [action, cells] of documented) {
      ROLES.forEach((role, i) => {
        expect(can(holder(role), action as Action), `${action} × ${role}`).toBe(cells[i]);
      });
    }
  });

  it('docs/permissions.md lists exactly the route rules in code', () => {
    const text = fs.readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
    const documented = new Map<string, string>();
    for (const match of text.matchAll(/^\| `([A-Z]+ [^`]+)` \| ([a-z]+): (.+) \|$/gm)) documented.set(match[1]!, `${match[2]}: ${match[3]}`);
    const inCode = new Map(Object.entries(ROUTE_RULES).map(([route, rule]) => {
      const [kind, value] = Object.entries(rule)[0]!;
      return [route, `${kind}: ${value}`];
    }));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(inCode));
  });

  it('every route rule that names an action names one of the matrix', () => {
    for (const rule of Object.values(ROUTE_RULES)) if ('action' in rule) expect(Object.keys(PERMISSIONS)).toContain(rule.action);
  });

  it('never lets company staff moderate, even holding a moderator role', () => {
    for (const action of ['moderate', 'decide-appeal', 'view-reporters', 'manage-roles', 'verify-staff'] as Action[]) {
      expect(can(['member', 'staff', 'moderator'], action)).toBe(false);
      expect(can(['member', 'staff', 'admin'], action)).toBe(false);
    }
    expect(can(['member', 'staff', 'moderator'], 'post')).toBe(true);
  });
});
