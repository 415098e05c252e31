// Sign-in and registration throttling. Per client address (rate-limit.ts, shared through Redis
// when configured): at most `perAddressPerMinute` sign-in attempts a minute and
// `registrationsPerAddressPerHour` registrations an hour. Per account, in the database so every
// process agrees: every attempt is counted before its password is checked, in one atomic
// statement, so concurrent attempts cannot check more passwords than `maxFailures` within
// `lockMinutes`; after that many the email is locked for `lockMinutes`. The lock is keyed by
// the email as typed (normalised), so it says nothing about whether the account exists.
import { memoryRateLimiter, redisRateLimiter, type RateLimiter, type RedisCounter } from "./rate-limit";

export interface LoginThrottle {
  maxFailures: number;
  lockMinutes: number;
  /** Records a sign-in attempt from an address; false when it is over its rate. */
  allowAddress(address: string, now: number): Promise<boolean>;
  /** Records a registration from an address; false when it is over its rate. */
  allowRegistration(address: string, now: number): Promise<boolean>;
}

export const DEFAULT_LOGIN_THROTTLE = { maxFailures: 5, lockMinutes: 15, perAddressPerMinute: 30, registrationsPerAddressPerHour: 10 };

export function loginThrottle(options: Partial<typeof DEFAULT_LOGIN_THROTTLE> = {}, shared?: { redis: RedisCounter; prefix: string }): LoginThrottle {
  const settings = { ...DEFAULT_LOGIN_THROTTLE, ...options };
  const limiter = (name: string, limit: number, windowMs: number): RateLimiter =>
    shared ? redisRateLimiter(shared.redis, `${shared.prefix}:${name}`, { limit, windowMs }) : memoryRateLimiter({ limit, windowMs });
  const signIns = limiter("sign-in", settings.perAddressPerMinute, 60_000);
  const registrations = limiter("register", settings.registrationsPerAddressPerHour, 3_600_000);
  return {
    maxFailures: settings.maxFailures,
    lockMinutes: settings.lockMinutes,
    allowAddress: (address, now) => signIns.hit(address, now),
    allowRegistration: (address, now) => registrations.hit(address, now),
  };
}
