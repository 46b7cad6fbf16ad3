/**
 * Entries for the audit log's browser test (test/browser/audit-log.test.ts): run.ts appends
 * them to the test site's log before the browser starts.
 */
import type { AuditLog } from '../../server/audit/audit-log.js';

export async function seedAuditLog(audit: AuditLog, site: string): Promise<void> {
  const at = (minute: number) => new Date(Date.UTC(2025, 3, 1, 9, minute)).toISOString();
  await audit.append({
    site, kind: 'moderation.remove', at: at(0), actor: { type: 'moderator', label: 'Moderator 1', userId: 'u-mod-1' },
    subject: { postId: 'post-a1', topic: 'audit-topic', ruleId: 'R4' },
    data: { decisionGround: 'terms', rule: { id: 'R4', version: 2 }, facts: 'Promotes a prescription-only medicine by name.' },
    sensitive: { postText: 'Secret removed words of a patient' },
  });
  await audit.append({
    site, kind: 'moderation.label', at: at(1), actor: { type: 'moderator', label: 'Moderator 2' },
    subject: { postId: 'post-a2', topic: 'audit-topic' }, data: { label: 'company-affiliated', ruleId: 'R6' },
  });
  await audit.append({
    site, kind: 'moderation.restore', at: at(2), actor: { type: 'moderator', label: 'Moderator 1' },
    subject: { postId: 'post-a1', topic: 'audit-topic' }, data: { reason: 'Appeal upheld' }, refersTo: 0,
  });
  for (let i = 0; i < 5; i++) {
    await audit.append({ site, kind: 'rule.changed', at: at(3 + i), actor: { type: 'admin', label: 'Admin 1' }, subject: { ruleId: `R${i + 1}` }, data: { version: i + 2 } });
  }
}
