/**
 * Storage behind members' own sign-in (issue 12): email sign-ins asked for (only hashes of
 * their link token and one-time code), and the welcome each new member completes (the name
 * they chose and the house rules version they accepted).
 */

/** One email sign-in asked for: a single-use link and a one-time code, both hashed. */
export interface MemberSignInRecord {
  id: string;
  site: string;
  tokenHash: string;
  /** sha256 of `<id>:<code>`: a per-row salt, compared in constant time by the service. */
  codeHash: string;
  /** Kept to create the account and send the mail; purged with the row a day later. */
  email: string;
  /** The address's hash (the member's subject), for the per-address limit and code look-up. */
  emailHash: string;
  ip: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  failedCodes: number;
}

/** A member's consent: which version of the house rules they accepted, and when. */
export interface WelcomeRecord {
  rulesVersion: number;
  acceptedAt: string;
}

export interface SignInStore {
  createMemberSignIn(record: MemberSignInRecord): Promise<void>;
  /** Marks the link's sign-in used and returns it, or says why it cannot be used. Single use, atomic. */
  consumeMemberSignInLink(tokenHash: string, at: string):
    Promise<| { ok: true; signIn: MemberSignInRecord }
    | { ok: false; reason: 'unknown' | 'used' | 'expired' }>;
  /** Unused, unexpired sign-ins of one address with fewer than `maxFailures` wrong codes, newest first. */
  openMemberSignIns(site: string, emailHash: string, at: string, maxFailures: number): Promise<MemberSignInRecord[]>;
  /** Marks one sign-in used; false if it already was (another request won). */
  useMemberSignIn(id: string, at: string): Promise<boolean>;
  /** Counts a wrong code against each of these sign-ins. */
  countWrongCode(ids: string[]): Promise<void>;
  /** Sign-ins asked for since `sinceIso`, on the site, from one address (hash) or one IP. */
  countMemberSignIns(site: string, by: { emailHash?: string; ip?: string }, sinceIso: string): Promise<number>;
  /** Deletes every sign-in of one address (hash) on the site: its owner erased their account. */
  forgetMemberSignIns(site: string, emailHash: string): Promise<number>;
  /** Deletes the site's sign-ins created before `beforeIso` (their address with them). */
  purgeMemberSignIns(site: string, beforeIso: string): Promise<number>;

  getWelcome(site: string, userId: string): Promise<WelcomeRecord | null>;
  /** Sets the chosen name (as chosen in Parley) and records the consent, in one transaction. */
  recordWelcome(site: string, userId: string, displayName: string, lookalike: boolean, welcome: WelcomeRecord): Promise<void>;
}
