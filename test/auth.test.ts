// Authentication: password login, issued tokens, OpenID Connect tokens checked against a
// JWKS served on this machine, and roles declared on the schema.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenService } from "../src/auth/tokens";
import { loadConfig } from "../src/config";
import { startTestServer, TEST_SECRET, type TestServer } from "./helpers/server";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on Session { token expiresAt user { email role } } ... on Error { code message } } }`;
const ME = `{ me { email role } }`;

let server: TestServer;
let jwks: Server;
let issuer: string;
let privateKey: CryptoKey;

async function oidcToken(claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expiresIn?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: "test-key" })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? "legami-clients")
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "5m")
    .sign(privateKey);
}

beforeAll(async () => {
  const keys = await generateKeyPair("RS256");
  privateKey = keys.privateKey;
  const publicJwk = { ...(await exportJWK(keys.publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  jwks = createServer((_request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  server = await startTestServer({ oidc: { jwksUrl: `${issuer}/jwks`, issuer, audience: "legami-clients" } });
});

afterAll(async () => {
  await server?.close();
  jwks?.close();
});

describe("password login", () => {
  it("issues a bearer token that identifies the user", async () => {
    const result = await server.gql(LOGIN, { e: "  Coordinatrice.Grosseto@legami.demo ", p: "legami-demo-2026" });
    expect(result.data.login).toMatchObject({ __typename: "Session", user: { role: "COORDINATOR" } });
    expect(Date.parse(result.data.login.expiresAt)).toBeGreaterThan(Date.now());
    const me = await server.gql(ME, {}, { token: result.data.login.token });
    expect(me.data.me).toEqual({ email: "coordinatrice.grosseto@legami.demo", role: "COORDINATOR" });
  });

  it("refuses a wrong password and an unknown email with the same typed error", async () => {
    const wrong = await server.gql(LOGIN, { e: "admin@legami.demo", p: "not-the-password" });
    const unknown = await server.gql(LOGIN, { e: "nobody@legami.demo", p: "not-the-password" });
    expect(wrong.data.login).toEqual({ __typename: "AuthenticationError", code: "INVALID_CREDENTIALS", message: "Wrong email or password." });
    expect(unknown.data.login).toEqual(wrong.data.login);
  });

  it("refuses expired tokens and tokens signed with another secret", async () => {
    const admin = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "admin@legami.demo" } });
    const expired = await createTokenService({ secret: TEST_SECRET, ttlSeconds: -10 }).issue(admin.id, "ADMIN", 0);
    const foreign = await createTokenService({ secret: "another-secret-another-secret-another-secret", ttlSeconds: 600 }).issue(admin.id, "ADMIN", 0);
    for (const token of [expired.token, foreign.token]) {
      const result = await server.gql(`{ citizens(first: 1) { totalCount } }`, {}, { token });
      expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("stops accepting a remembered token the moment it expires, and never remembers a forged one", async () => {
    const tokens = createTokenService({ secret: TEST_SECRET, ttlSeconds: 2 });
    const issued = await tokens.issue("user-1", "CITIZEN", 3);
    expect(await tokens.verify(issued.token)).toEqual({ kind: "local", userId: "user-1", version: 3 });
    // Remembered now; a token differing in its signature alone is still checked and refused.
    const [header, payload, signature] = issued.token.split(".");
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    expect(await tokens.verify(forged)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, issued.expiresAt.getTime() - Date.now() + 1_100));
    expect(await tokens.verify(issued.token)).toBeNull();
  });

  it("ends every token of a user at once when their token version rises", async () => {
    const token = await server.login("tutor.abitare@legami.demo");
    expect((await server.gql(`{ me { id } }`, {}, { token })).data.me.id).toBeTruthy();
    await server.database.prisma.user.update({ where: { email: "tutor.abitare@legami.demo" }, data: { tokenVersion: { increment: 1 } } });
    expect((await server.gql(`{ me { id } }`, {}, { token })).data.me).toBeNull();
    expect((await server.gql(`{ myNotifications { id } }`, {}, { token })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const again = await server.login("tutor.abitare@legami.demo");
    expect((await server.gql(`{ me { id } }`, {}, { token: again })).data.me.id).toBeTruthy();
  });

  it("takes the role from the database, not from the token", async () => {
    const token = await server.login("tutor.abitare@legami.demo");
    const before = await server.gql(`{ citizens(first: 1) { totalCount } }`, {}, { token });
    expect(before.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await server.database.prisma.user.update({ where: { email: "tutor.abitare@legami.demo" }, data: { role: "COORDINATOR" } });
    try {
      const after = await server.gql(`{ citizens(first: 1) { totalCount } }`, {}, { token });
      expect(after.data.citizens.totalCount).toBeGreaterThan(0);
    } finally {
      await server.database.prisma.user.update({ where: { email: "tutor.abitare@legami.demo" }, data: { role: "TUTOR" } });
    }
  });
});

describe("OpenID Connect", () => {
  it("accepts a provider token for a registered user, linking it by verified email", async () => {
    const token = await oidcToken({ sub: "oidc|12345", email: "coordinatore.amiata@legami.demo", email_verified: true });
    const me = await server.gql(ME, {}, { token });
    expect(me.data.me).toEqual({ email: "coordinatore.amiata@legami.demo", role: "COORDINATOR" });
    const linked = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatore.amiata@legami.demo" } });
    expect(linked.oidcSubject).toBe("oidc|12345");
    // Later tokens are matched by subject, even without an email claim.
    const again = await server.gql(ME, {}, { token: await oidcToken({ sub: "oidc|12345" }) });
    expect(again.data.me.email).toBe("coordinatore.amiata@legami.demo");
  });

  it("ignores provider tokens that are unverified, for unknown people, from another issuer or audience, or expired", async () => {
    const cases = [
      await oidcToken({ sub: "oidc|777", email: "coordinatrice.colline@legami.demo", email_verified: false }),
      await oidcToken({ sub: "oidc|888", email: "stranger@example.org", email_verified: true }),
      await oidcToken({ sub: "oidc|12345" }, { issuer: "https://evil.example.org" }),
      await oidcToken({ sub: "oidc|12345" }, { audience: "someone-else" }),
      await oidcToken({ sub: "oidc|12345" }, { expiresIn: "-1m" }),
    ];
    for (const token of cases) {
      const me = await server.gql(ME, {}, { token });
      expect(me.data.me).toBeNull();
      const denied = await server.gql(`{ myCitizenProfile { id } }`, {}, { token });
      expect(denied.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    const colline = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatrice.colline@legami.demo" } });
    expect(colline.oidcSubject).toBeNull();
    expect(await server.database.prisma.user.count({ where: { email: "stranger@example.org" } })).toBe(0);
  });

  it("links an account only by an email proved on both sides: one registered with someone else's address gets nothing", async () => {
    // Someone registers first with a victim's address (it is never proved here)...
    const prisma = server.database.prisma;
    const squatter = await prisma.user.create({
      data: { email: "victim@example.org", passwordHash: null, role: "CITIZEN", displayName: "Squatter", emailVerifiedAt: null },
    });
    // ...then the victim signs in through the provider, which has verified the address.
    const token = await oidcToken({ sub: "oidc|victim", email: "victim@example.org", email_verified: true });
    expect((await server.gql(ME, {}, { token })).data.me).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: squatter.id } })).oidcSubject).toBeNull();
    // Once the account's owner has proved the address here, the same sign-in links.
    await prisma.user.update({ where: { id: squatter.id }, data: { emailVerifiedAt: new Date() } });
    expect((await server.gql(ME, {}, { token })).data.me).toEqual({ email: "victim@example.org", role: "CITIZEN" });
  });
});

describe("configuration", () => {
  it("refuses OpenID Connect without an audience: tokens meant for other clients would be taken", () => {
    const env = { OIDC_JWKS_URL: "https://id.example.org/jwks", OIDC_ISSUER: "https://id.example.org" };
    expect(() => loadConfig(env)).toThrow(/OIDC_AUDIENCE: required/);
    expect(loadConfig({ ...env, OIDC_AUDIENCE: "legami" }).oidc).toMatchObject({ audience: "legami" });
  });
});
