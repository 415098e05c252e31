// Login with email and password.
import { AuthenticationError, RateLimitError } from "../errors";
import type { ServiceContext } from "../service-context";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "./passwords";
import type { LoginThrottle } from "./throttle";

/** Counts a wrong password for an email; enough of them within the lock window lock it. */
async function recordFailure(context: ServiceContext, email: string, throttle: LoginThrottle, now: Date) {
  const windowMs = throttle.lockMinutes * 60_000;
  await context.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "LoginThrottle" ("email", "failures", "windowStart") VALUES (${email}, 0, ${now}) ON CONFLICT ("email") DO NOTHING`;
    await tx.$queryRaw`SELECT "email" FROM "LoginThrottle" WHERE "email" = ${email} FOR UPDATE`;
    const state = await tx.loginThrottle.findUniqueOrThrow({ where: { email } });
    // A new window once the last one is over (a lock ends with its window).
    const fresh = now.getTime() - state.windowStart.getTime() > windowMs;
    const failures = fresh ? 1 : state.failures + 1;
    await tx.loginThrottle.update({
      where: { email },
      data: { failures, windowStart: fresh ? now : state.windowStart, lockedUntil: failures >= throttle.maxFailures ? new Date(now.getTime() + windowMs) : state.lockedUntil },
    });
  });
}

/**
 * Signs in. With a throttle: an address over its rate, or an email locked after repeated wrong
 * passwords, gets RateLimitError before any password is checked; a wrong password counts towards
 * the lock; a right one clears it.
 */
export async function login(context: ServiceContext, email: string, password: string, options: { throttle?: LoginThrottle; address?: string } = {}) {
  const key = email.trim().toLowerCase().slice(0, 320);
  const now = context.now();
  const { throttle } = options;
  if (throttle) {
    if (!throttle.allowAddress(options.address ?? "unknown", Date.now())) throw new RateLimitError(60);
    const state = await context.prisma.loginThrottle.findUnique({ where: { email: key } });
    if (state?.lockedUntil && state.lockedUntil > now) throw new RateLimitError(Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
  }
  const user = await context.prisma.user.findUnique({ where: { email: key } });
  // Compare against a dummy hash when there is no user, so the answer takes as long either way.
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !user.passwordHash || user.erasedAt || !valid) {
    if (throttle) await recordFailure(context, key, throttle, now);
    throw new AuthenticationError();
  }
  if (throttle) await context.prisma.loginThrottle.deleteMany({ where: { email: key } });
  const { token, expiresAt } = await context.tokens.issue(user.id, user.role, user.tokenVersion);
  return { token, expiresAt, user };
}
