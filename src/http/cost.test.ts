// The cost of a document counts lists at their sizes: nested lists multiply, aliases and
// fragments add, a page counts what it asks (at most 100), a page from a variable counts 100.
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../graphql/schema";
import { listCostRule } from "./cost";

const costOf = (document: string) => validate(schema, parse(document), [listCostRule(0)])[0]?.extensions?.cost as number;

describe("document cost", () => {
  it("multiplies nested lists by their sizes", () => {
    // territories (50) x municipalities (100) x the leaf.
    expect(costOf(`{ territories { id } }`)).toBe(50 * (1 + 1));
    expect(costOf(`{ territories { municipalities { id } } }`)).toBe(50 * (1 + 100 * (1 + 1)));
    expect(costOf(`{ territories { municipalities { territory { municipalities { id } } } } }`)).toBe(50 * (1 + 100 * (1 + 1 * (1 + 100 * (1 + 1)))));
  });

  it("adds aliases and fragments, and counts a page as asked", () => {
    const one = costOf(`{ territories { id } }`);
    expect(costOf(`{ a: territories { id } b: territories { id } }`)).toBe(2 * one);
    expect(costOf(`fragment T on Territory { id name } { territories { ...T } }`)).toBe(50 * (1 + 2));
    expect(costOf(`{ citizens(first: 10) { edges { node { id } } } }`)).toBe(1 + 10 * (1 + 1 + 1));
    expect(costOf(`{ citizens(first: 100000) { edges { node { id } } } }`)).toBe(1 + 100 * (1 + 1 + 1));
    expect(costOf(`query($n: Int) { citizens(first: $n) { edges { node { id } } } }`)).toBe(1 + 100 * 3);
  });

  it("refuses what costs more than the limit, before it runs", () => {
    const errors = validate(schema, parse(`{ territories { municipalities { territory { municipalities { id } } } } }`), [listCostRule(20_000)]);
    expect(errors[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", maxCost: 20_000 });
    expect(validate(schema, parse(`{ territories { municipalities { id } } }`), [listCostRule(20_000)])).toEqual([]);
  });
});
