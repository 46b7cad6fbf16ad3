/**
 * Storage behind OpenID Connect sign-in (issue 12): each site's provider settings, the
 * flows under way (one per press of "Sign in with …"), and the single-use tickets that hand
 * a finished sign-in to the widget. Flows and tickets are found by the hash of their secret,
 * never by the secret itself, and both live in the store so a restart (or another node)
 * can finish what one process started.
 */

/** A site's OpenID provider. The client secret is write-only over the API and the CLI. */
export interface OidcProviderRecord {
  site: string;
  /** The issuer identifier; discovery is `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** The provider's name on the sign-in button ("Sign in with <name>"). */
  name: string;
  /** Scopes requested besides `openid`. */
  scopes: string[];
  /** The ID token claim through which the organisation's IdP vouches a company affiliation. */
  staffClaim: string | null;
  updatedAt: string;
}

/** One sign-in under way: what the callback needs to check the provider's answer. */
export interface OidcFlowRecord {
  stateHash: string;
  site: string;
  /** The issuer the flow was started with: a flow never finishes against another. */
  issuer: string;
  nonce: string;
  codeVerifier: string;
  returnUrl: string;
  /** When the starting page sent one: the ticket is redeemed only with the verifier behind it. */
  ticketChallenge: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface OidcTicketRecord {
  ticketHash: string;
  site: string;
  userId: string;
  ticketChallenge: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface OidcStore {
  /** The site's provider, or null when OpenID Connect is not configured there. */
  getOidcProvider(site: string): Promise<OidcProviderRecord | null>;
  /** Creates or replaces the site's provider. */
  setOidcProvider(record: OidcProviderRecord): Promise<void>;
  /** Removes the site's provider (and its flows under way); true if there was one. */
  deleteOidcProvider(site: string): Promise<boolean>;
  /** Records a flow, first dropping every expired flow and ticket; false if the site already has `maxPending` flows under way. */
  createOidcFlow(flow: OidcFlowRecord, now: string, maxPending: number): Promise<boolean>;
  /** Takes the flow out of the store (single use): it is returned at most once, and only while unexpired. */
  takeOidcFlow(site: string, stateHash: string, now: string): Promise<OidcFlowRecord | null>;
  createOidcTicket(ticket: OidcTicketRecord): Promise<void>;
  /** Takes the ticket out of the store (single use): it is returned at most once, and only while unexpired. */
  takeOidcTicket(site: string, ticketHash: string, now: string): Promise<OidcTicketRecord | null>;
}
