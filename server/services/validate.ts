/** Turns a failed schema parse (moderation/schemas.ts `parseWith`) into the protocol's validation error. */
import { ParleyError, type FieldIssue } from '../../moderation/errors.js';

export function valid<T>(result: { ok: true; value: T } | { ok: false; message: string; issues: FieldIssue[] }): T {
  if (!result.ok) throw new ParleyError('validation_failed', result.message, { issues: result.issues });
  return result.value;
}
