/**
 * Storage behind the first-run setup (issue 15): the one-time setup link and the first admin's
 * invitation. Only hashes of their tokens are kept.
 */

export type LinkRefusal = 'unknown' | 'used' | 'expired';

export interface AdminInvitationRecord {
  tokenHash: string;
  site: string;
  email: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface SetupStore {
  /** Records a new setup link; any earlier one not yet used stops working (one link at a time). */
  createSetupLink(tokenHash: string, createdAt: string, expiresAt: string): Promise<void>;
  /** Whether the link can be used now, without using it (the setup page's first look). */
  checkSetupLink(tokenHash: string, at: string): Promise<{ ok: true } | { ok: false; reason: LinkRefusal }>;
  /** Marks the link used, or says why it cannot be. Single use, atomic; call inside the setup's transaction. */
  consumeSetupLink(tokenHash: string, at: string): Promise<{ ok: true } | { ok: false; reason: LinkRefusal }>;
  createAdminInvitation(record: AdminInvitationRecord): Promise<void>;
  /** Marks the invitation used and returns it, or says why it cannot be. Single use, atomic. */
  consumeAdminInvitation(tokenHash: string, at: string):
    Promise<| { ok: true; invitation: AdminInvitationRecord }
    | { ok: false; reason: LinkRefusal }>;
}
