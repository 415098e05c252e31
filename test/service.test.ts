// The service as a whole: health and readiness, GraphQL over HTTP compliance, error masking,
// the schema's descriptions and drift, migrations in step with the schema, configuration.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { isObjectType, isInputObjectType, isInterfaceType, isEnumType, isUnionType, printSchema, type GraphQLNamedType } from "graphql";
import { serverAudits } from "graphql-http";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { createTokenService } from "../src/auth/tokens";
import { ConfigError, loadConfig } from "../src/config";
import { openMemoryDatabase } from "../src/db/database";
import { createMigration } from "../src/db/migrations";
import { schema } from "../src/graphql/schema";
import { negotiateLang } from "../src/i18n";
import { startTestServer, TEST_SECRET, type TestServer } from "./helpers/server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe("HTTP", () => {
  it("answers liveness and readiness", async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    // With jobs on Redis, readiness also asks Redis.
    expect(await ready.json()).toEqual({ status: "ready", database: "ok", ...(process.env.REDIS_URL ? { redis: "ok" } : {}) });
  });

  it("passes every MUST of the GraphQL-over-HTTP audits", async () => {
    const audits = serverAudits({ url: `${server.url}/graphql`, fetchFn: fetch });
    const failures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (audit.name.startsWith("MUST") && result.status !== "ok") failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });

  it("serves GraphiQL to browsers in development", async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("GraphiQL");
  });

  it("reports not ready and answers SERVICE_UNAVAILABLE, naming nothing inside, while the database is down", async () => {
    const database = await openMemoryDatabase();
    const tokens = createTokenService({ secret: TEST_SECRET, ttlSeconds: 60 });
    const { express } = createApp({ database, tokens, graphiql: false, defaultLang: "en" });
    const http = express.listen(0, "127.0.0.1");
    await new Promise((resolve) => http.once("listening", resolve));
    const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    try {
      await database.close();
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(503);
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ skills { code } }" }),
      });
      const body = (await response.json()) as { errors: { message: string; extensions?: { code?: string } }[] };
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(body.errors[0]!.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      expect(JSON.stringify(body)).not.toMatch(/PGlite|prisma|closed/i);
    } finally {
      http.close();
    }
  });
});

describe("languages", () => {
  it("negotiates Italian or English from Accept-Language with q-values", () => {
    expect(negotiateLang("it-IT,it;q=0.9,en;q=0.8", "en")).toBe("it");
    expect(negotiateLang("fr-FR,en;q=0.5,it;q=0.4", "it")).toBe("en");
    expect(negotiateLang("de-DE", "it")).toBe("it");
    expect(negotiateLang("en;q=0, it;q=0.1", "en")).toBe("it");
    expect(negotiateLang(undefined, "en")).toBe("en");
  });
});

describe("schema", () => {
  it("matches the committed schema/schema.graphql", () => {
    const committed = readFileSync(join(import.meta.dirname, "..", "schema", "schema.graphql"), "utf8");
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  it("describes every type, field, argument and enum value", () => {
    const missing: string[] = [];
    const builtIn = (type: GraphQLNamedType) => type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name);
    for (const type of Object.values(schema.getTypeMap())) {
      if (builtIn(type)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type))
        for (const value of type.getValues()) if (!value.description && type.name !== "ErrorCode") missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it("denies by default: only the listed root fields are public", () => {
    const publicFields = [
      "Query.me",
      "Query.municipalities",
      "Query.skills",
      "Query.territories",
      "Query.trainingCourses",
      "Mutation.login",
      "Mutation.registerCitizen",
    ];
    const found: string[] = [];
    for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
      const typeScopes = (root.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes;
      expect(typeScopes).toEqual({ authenticated: true });
      for (const field of Object.values(root.getFields())) {
        const options = (field.extensions as { pothosOptions?: { skipTypeScopes?: boolean } }).pothosOptions;
        if (options?.skipTypeScopes) found.push(`${root.name}.${field.name}`);
      }
    }
    expect(found.sort()).toEqual(publicFields.sort());
  });

  it("gives every write a typed result union", () => {
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      const type = field.type;
      const named = "ofType" in type && type.ofType ? type.ofType : type;
      expect(isUnionType(named), `${field.name} returns ${String(type)}`).toBe(true);
    }
  });
});

describe("migrations", () => {
  it("are in step with prisma/schema.prisma (creating one finds no change)", async () => {
    const scratch = new PGlite();
    try {
      expect(await createMigration(new PrismaPGlite(scratch), "should_not_exist")).toBeNull();
    } finally {
      await scratch.close();
    }
  });
});

describe("configuration", () => {
  it("reports every problem at once", () => {
    try {
      loadConfig({ PORT: "seventy", DATABASE_URL: "mysql://x", JWT_SECRET: "short", DEFAULT_LOCALE: "fr" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(":")[0]).sort()).toEqual(["DATABASE_URL", "DEFAULT_LOCALE", "JWT_SECRET", "PORT"]);
    }
  });

  it("needs a token secret with PostgreSQL and an issuer with a JWKS URL", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgresql://localhost/x", OIDC_JWKS_URL: "https://id.example.org/jwks" })).toThrow(
      /JWT_SECRET[\s\S]*OIDC_ISSUER|OIDC_ISSUER[\s\S]*JWT_SECRET/,
    );
    expect(loadConfig({ DATABASE_URL: "postgresql://localhost/x" }, "migrate").database).toEqual({
      kind: "postgres",
      url: "postgresql://localhost/x",
      pool: { max: 10, connectTimeoutMs: 5000, idleTimeoutMs: 30000 },
    });
    expect(loadConfig({ DATABASE_URL: "postgresql://localhost/x", DATABASE_POOL_MAX: "40" }, "migrate").database).toMatchObject({ pool: { max: 40 } });
    expect(() => loadConfig({ DATABASE_URL: "postgresql://localhost/x", DATABASE_POOL_MAX: "0" }, "migrate")).toThrow(/DATABASE_POOL_MAX/);
  });

  it("defaults to the embedded database on port 4000 and is frozen", () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe("embedded");
    expect(config.port).toBe(4000);
    expect(config.graphiql).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
    expect(loadConfig({ NODE_ENV: "production" }).graphiql).toBe(false);
  });
});
