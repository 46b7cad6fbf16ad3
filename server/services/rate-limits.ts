/**
 * Write rate limits per account, per IP and per site, using rate-limiter-flexible's
 * in-memory limiter (a well-kept library; swapping in its Redis limiter later scales it
 * across nodes). A refusal tells the client when it may try again.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ParleyError } from '../../moderation/errors.js';

export interface RateLimitConfig {
  /** Posts per minute by one account. */
  postsPerAccountPerMinute: number;
  /** Posts per minute from one IP address (several members may share one). */
  postsPerIpPerMinute: number;
  /** Posts per minute on one site, all members together. */
  postsPerSitePerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  postsPerAccountPerMinute: 10,
  postsPerIpPerMinute: 60,
  postsPerSitePerMinute: 1200,
};

export interface RateLimits {
  /** Counts one post; throws ParleyError('rate_limited') with retryAfterSeconds when over a limit. */
  consumePost(site: string, accountId: string, ip: string): Promise<void>;
  refusals(): number;
}

export function createRateLimits(config: RateLimitConfig = DEFAULT_RATE_LIMITS): RateLimits {
  const account = new RateLimiterMemory({ keyPrefix: 'acct', points: config.postsPerAccountPerMinute, duration: 60 });
  const ip = new RateLimiterMemory({ keyPrefix: 'ip', points: config.postsPerIpPerMinute, duration: 60 });
  const site = new RateLimiterMemory({ keyPrefix: 'site', points: config.postsPerSitePerMinute, duration: 60 });
  let refused = 0;
  return {
    async consumePost(siteId, accountId, address) {
      try {
        await account.consume(`${siteId}:${accountId}`);
        await ip.consume(address || 'unknown');
        await site.consume(siteId);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          refused++;
          const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
          throw new ParleyError('rate_limited', `You are posting too quickly. Try again in ${seconds} seconds.`, {
            retryAfterSeconds: seconds,
          });
        }
        throw error;
      }
    },
    refusals: () => refused,
  };
}
