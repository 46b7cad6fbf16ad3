/**
 * Storage behind blocking (issue 13): a member's private list of accounts they blocked. The
 * service (server/services/blocks.ts) decides who may block whom; these methods keep the result.
 * Nothing here reaches the audit log: a block is the blocker's business alone.
 */

/** One account a member blocked, as the member's own list shows it (a display name, never an address). */
export interface BlockedPerson {
  userId: string;
  displayName: string;
  blockedAt: string;
}

export type BlockOutcome = 'blocked' | 'already' | 'limit';

export interface BlockStore {
  /** Block `blockedId` for `userId`; 'limit' (nothing stored) when they already block `max` accounts. Atomic. */
  blockUser(site: string, userId: string, blockedId: string, at: string, max: number): Promise<BlockOutcome>;
  /** Unblock; false when there was no such block. */
  unblockUser(site: string, userId: string, blockedId: string): Promise<boolean>;
  /** The accounts `userId` blocked, most recent first. */
  listBlocks(site: string, userId: string): Promise<BlockedPerson[]>;
  /** Which of `userIds` blocked `writerId` (the people a writer may not mention or suggest). */
  blockersAmong(site: string, writerId: string, userIds: string[]): Promise<string[]>;
  /** Every block the account made and every block made of it (erasure: either side's rows go). */
  eraseBlocks(site: string, userId: string): Promise<void>;
}
