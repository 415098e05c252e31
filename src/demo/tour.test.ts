// GraphiQL's opening document: the accounts listed, the first citizen signed in, and both
// operations valid against the schema.
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../graphql/schema";
import { graphiqlTour } from "./tour";

describe("graphiqlTour", () => {
  it("lists the demo accounts, signs in as the first citizen and is valid against the schema", () => {
    const document = graphiqlTour([
      { role: "ADMIN", email: "admin@legami.demo" },
      { role: "CITIZEN", email: "giulia.rossi@example.org" },
      { role: "CITIZEN", email: "marco.bianchi@example.org" },
    ]);
    expect(document).toMatch(/# {3}ADMIN\s+admin@legami\.demo/);
    expect(document).toContain('login(email: "giulia.rossi@example.org", password: "legami-demo-2026")');
    expect(validate(schema, parse(document))).toEqual([]);
  });

  it("without a demo, says so and stays valid", () => {
    const document = graphiqlTour([]);
    expect(document).toContain("there is no demo in this database");
    expect(validate(schema, parse(document))).toEqual([]);
  });
});
