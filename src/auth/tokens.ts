// Bearer tokens: HS256 tokens this service issues at login, and, when configured, tokens from
// an external OpenID Connect provider checked against its JWKS.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { OidcConfig } from "../config";

const ISSUER = "legami";
const AUDIENCE = "legami";

export type VerifiedToken =
  | { kind: "local"; userId: string; version: number }
  | { kind: "oidc"; subject: string; email: string | undefined; emailVerified: boolean };

export interface TokenService {
  /** A token for the user at their current token version (User.tokenVersion): raising the version ends it. */
  issue(userId: string, role: string, version: number): Promise<{ token: string; expiresAt: Date }>;
  /** Returns null for any token that is not valid (bad signature, expired, wrong issuer...). */
  verify(token: string): Promise<VerifiedToken | null>;
}

export function createTokenService(options: { secret: string; ttlSeconds: number; oidc?: OidcConfig }): TokenService {
  const key = new TextEncoder().encode(options.secret);
  const jwks = options.oidc ? createRemoteJWKSet(new URL(options.oidc.jwksUrl)) : undefined;
  const verified = new Map<string, { identity: VerifiedToken; until: number }>();

  return {
    async issue(userId, role, version) {
      const expiresAt = new Date(Date.now() + options.ttlSeconds * 1000);
      const token = await new SignJWT({ role, ver: version })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },

    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (Date.now() < known.until) return known.identity;
        verified.delete(token);
      }
      const identity = await verifyAfresh(token);
      if (identity) remember(token, identity);
      return identity;
    },
  };

  async function verifyAfresh(token: string): Promise<VerifiedToken | null> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return null;
    }
    try {
      if (alg === "HS256") {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
        return payload.sub ? { kind: "local", userId: payload.sub, version: typeof payload.ver === "number" ? payload.ver : 0 } : null;
      }
      if (jwks && options.oidc) {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: options.oidc.issuer,
          audience: options.oidc.audience,
          algorithms: ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"],
        });
        return oidcIdentity(payload);
      }
    } catch {
      return null;
    }
    return null;
  }

  /**
   * A token whose signature has been checked is remembered until it expires: clients send the
   * same token with every request, and checking it again cost more than the rest of a small
   * read. Bounded; the oldest entries go first. Expiry is still checked on every use.
   */
  function remember(token: string, identity: VerifiedToken) {
    const payload = decodeJwt(token);
    if (typeof payload.exp !== "number" || payload.nbf !== undefined) return;
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, { identity, until: payload.exp * 1000 });
  }
}

const VERIFIED_CACHE_SIZE = 10_000;

function oidcIdentity(payload: JWTPayload): VerifiedToken | null {
  if (!payload.sub) return null;
  const email = typeof payload.email === "string" ? payload.email.toLowerCase() : undefined;
  return { kind: "oidc", subject: payload.sub, email, emailVerified: payload.email_verified === true };
}
