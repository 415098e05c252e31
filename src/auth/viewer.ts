// Who is calling: resolved from the bearer token on each request, reading the user's current
// role and territory from the database (a role change takes effect at once).
import type { PrismaClient } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";
import type { TokenService } from "./tokens";

export interface Viewer {
  userId: string;
  role: Role;
  territoryId: string | null;
  citizenId: string | null;
  locale: "IT" | "EN";
}

export async function resolveViewer(prisma: PrismaClient, tokens: TokenService, authorization: string | null | undefined): Promise<Viewer | null> {
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) return null;
  const verified = await tokens.verify(match[1]!);
  if (!verified) return null;
  const select = {
    id: true,
    role: true,
    territoryId: true,
    locale: true,
    oidcSubject: true,
    tokenVersion: true,
    erasedAt: true,
    citizen: { select: { id: true } },
  } as const;
  let user = null;
  if (verified.kind === "local") {
    user = await prisma.user.findUnique({ where: { id: verified.userId }, select });
  } else {
    user = await prisma.user.findUnique({ where: { oidcSubject: verified.subject }, select });
    // First sign-in through the provider: link to an existing account by an email verified on
    // both sides (the provider says so, and the account's owner proved the address here), so an
    // account registered first with someone else's address never receives their sign-in.
    // Accounts are never created from a token: someone must have registered the person.
    if (!user && verified.email && verified.emailVerified) {
      const byEmail = await prisma.user.findUnique({ where: { email: verified.email }, select: { ...select, emailVerifiedAt: true } });
      if (byEmail && byEmail.oidcSubject === null && byEmail.emailVerifiedAt !== null && !byEmail.erasedAt) {
        user = await prisma.user.update({ where: { id: byEmail.id }, data: { oidcSubject: verified.subject }, select });
      }
    }
  }
  if (!user || user.erasedAt) return null;
  // A token issued before the version was raised (erasure, a new password) has ended.
  if (verified.kind === "local" && verified.version !== user.tokenVersion) return null;
  return { userId: user.id, role: user.role, territoryId: user.territoryId, citizenId: user.citizen?.id ?? null, locale: user.locale };
}
