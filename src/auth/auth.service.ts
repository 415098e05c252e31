// Login with email and password.
import { AuthenticationError } from "../errors";
import type { ServiceContext } from "../service-context";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "./passwords";

export async function login(context: ServiceContext, email: string, password: string) {
  const user = await context.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  // Compare against a dummy hash when there is no user, so the answer takes as long either way.
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !user.passwordHash || !valid) throw new AuthenticationError();
  const { token, expiresAt } = await context.tokens.issue(user.id, user.role);
  return { token, expiresAt, user };
}
