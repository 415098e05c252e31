// The boundaries of ARCHITECTURE.md, checked on the source files.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const src = join(root, "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : files(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

function imports(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

const isPure = (path: string) => {
  const rel = relative(src, path);
  return (
    rel.startsWith("time/") || rel.startsWith("i18n/") || rel.startsWith("solver/") || rel === "errors.ts" || rel === "random.ts" || rel.endsWith(".model.ts")
  );
};

describe("architecture", () => {
  it("keeps pure domain code free of Prisma, GraphQL, the server, the queue and config", () => {
    const forbidden =
      /^(@prisma\/|prisma|graphql|@pothos\/|graphql-yoga|express|bullmq|ioredis|pg$|@electric-sql\/)|(^|\/)(config|db\/|generated\/|graphql\/|demo\/|jobs\/|auth\/(?![\w-]+\.model$))|\.service$|\.repository$/;
    const pure = files(src).filter(isPure);
    expect(pure.length).toBeGreaterThan(5);
    const violations = pure.flatMap((path) =>
      imports(path)
        .filter((spec) => forbidden.test(spec))
        .map((spec) => `${relative(root, path)} imports ${spec}`),
    );
    expect(violations).toEqual([]);
  });

  it("reads process.env only in src/config.ts", () => {
    const readers = files(src)
      .filter((path) => /process\.env/.test(readFileSync(path, "utf8")))
      .map((path) => relative(root, path));
    expect(readers).toEqual(["src/config.ts"]);
  });

  it("listens on a port only in the two process entry points, src/main.ts and src/worker.ts", () => {
    const listeners = files(src)
      .filter((path) => /\.listen\(/.test(readFileSync(path, "utf8")))
      .map((path) => relative(root, path));
    expect(listeners.sort()).toEqual(["src/main.ts", "src/worker.ts"]);
  });

  it("writes migrations the PostgreSQL driver adapter can run: it splits scripts on every semicolon", () => {
    const dir = join(root, "prisma", "migrations");
    const problems = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        readFileSync(join(dir, d.name, "migration.sql"), "utf8")
          .split("\n")
          .map((line, i) => ({ line, at: `${d.name}:${i + 1}` }))
          // A semicolon in a comment cuts the script mid-comment; inside function bodies it is written \073.
          .filter(({ line }) => /--.*;/.test(line))
          .map(({ at }) => at),
      );
    expect(problems).toEqual([]);
  });
});
