// The GraphQL examples of the README and the area pages are valid against the schema, so a
// newcomer's first tour does not fail on a renamed field. Placeholders ("<id>") become values.
import { readFileSync } from "node:fs";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../src/graphql/schema";

const PAGES = ["README.md", "docs/register.md", "docs/matching.md", "docs/housing.md", "docs/solver.md"];
const DATE_PLACEHOLDER = /"<(monday|first day|day after the last)>"/g;

describe("the documents' GraphQL examples", () => {
  for (const page of PAGES) {
    it(`are valid in ${page}`, () => {
      const blocks = [...readFileSync(page, "utf8").matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
      if (page === "README.md") expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) {
        const text = block.replace(DATE_PLACEHOLDER, '"2027-01-04"').replace(/"<[^>]+>"/g, '"x"');
        for (const operation of text.split(/\n\s*\n/).filter((o) => o.trim())) {
          expect(validate(schema, parse(operation)).map(String), `${page}: ${operation}`).toEqual([]);
        }
      }
    });
  }
});
