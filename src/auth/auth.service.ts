// Login with email and password.
import { AuthenticationError, RateLimitError } from "../errors";
import type { ServiceContext } from "../service-context";
import { DUMMY_PASSWORD_HASH, hashPassword, needsRehash, verifyPassword } from "./passwords";
import type { LoginThrottle } from "./throttle";

/**
 * Counts an attempt for an email before its password is checked, in one statement (concurrent
 * attempts each get their own number): returns whether this one may check a password. A window
 * over starts a new count; a lock ends with its own time.
 */
async function reserveAttempt(
  context: ServiceContext,
  email: string,
  throttle: LoginThrottle,
  now: Date,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowMs = throttle.lockMinutes * 60_000;
  const floor = new Date(now.getTime() - windowMs);
  const rows = await context.prisma.$queryRaw<{ failures: number; lockedUntil: Date | null }[]>`
    INSERT INTO "LoginThrottle" ("email", "failures", "windowStart") VALUES (${email}, 1, ${now})
    ON CONFLICT ("email") DO UPDATE SET
      "failures" = CASE WHEN "LoginThrottle"."windowStart" < ${floor} THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
      "windowStart" = CASE WHEN "LoginThrottle"."windowStart" < ${floor} THEN ${now} ELSE "LoginThrottle"."windowStart" END
    RETURNING "failures", "lockedUntil"`;
  const { failures, lockedUntil } = rows[0]!;
  if (lockedUntil && lockedUntil > now) return { allowed: false, retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) };
  if (failures > throttle.maxFailures) {
    // Over the count without a lock yet (attempts in flight): lock now.
    const until = new Date(now.getTime() + windowMs);
    await context.prisma.loginThrottle.update({ where: { email }, data: { lockedUntil: until } });
    return { allowed: false, retryAfterSeconds: Math.ceil(windowMs / 1000) };
  }
  return { allowed: true, retryAfterSeconds: 0 };
}

/** A wrong password: the attempt stays counted; the last one allowed locks the email. */
async function recordFailure(context: ServiceContext, email: string, throttle: LoginThrottle, now: Date) {
  await context.prisma.loginThrottle.updateMany({
    where: { email, failures: { gte: throttle.maxFailures } },
    data: { lockedUntil: new Date(now.getTime() + throttle.lockMinutes * 60_000) },
  });
}

/**
 * Signs in. With a throttle: an address over its rate, or an email locked after repeated wrong
 * passwords, gets RateLimitError before any password is checked; every attempt counts towards
 * the lock until a right password clears it. A password stored with older parameters is hashed
 * again with the current ones.
 */
export async function login(context: ServiceContext, email: string, password: string, options: { throttle?: LoginThrottle; address?: string } = {}) {
  const key = email.trim().toLowerCase().slice(0, 320);
  const now = context.now();
  const { throttle } = options;
  if (throttle) {
    if (!(await throttle.allowAddress(options.address ?? "unknown", Date.now()))) throw new RateLimitError(60);
    const attempt = await reserveAttempt(context, key, throttle, now);
    if (!attempt.allowed) throw new RateLimitError(attempt.retryAfterSeconds);
  }
  const user = await context.prisma.user.findUnique({ where: { email: key } });
  // Compare against a dummy hash when there is no user, so the answer takes as long either way.
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user?.passwordHash || user.erasedAt || !valid) {
    if (throttle) await recordFailure(context, key, throttle, now);
    throw new AuthenticationError();
  }
  if (throttle) await context.prisma.loginThrottle.deleteMany({ where: { email: key } });
  if (needsRehash(user.passwordHash)) {
    // Only if the hash is still the one checked (a password changed meanwhile stays changed).
    await context.prisma.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: await hashPassword(password) } });
  }
  const { token, expiresAt } = await context.tokens.issue(user.id, user.role, user.tokenVersion);
  return { token, expiresAt, user };
}
