// Every list of the schema has a declared size for the document cost (src/graphql/list-sizes.ts):
// a new list fails here until it is given one.
import { getNamedType, isLeafType, isListType, isNonNullType, isObjectType, type GraphQLOutputType } from "graphql";
import { describe, expect, it } from "vitest";
import { LIST_SIZES } from "../src/graphql/list-sizes";
import { schema } from "../src/graphql/schema";

const isList = (type: GraphQLOutputType): boolean => (isNonNullType(type) ? isList(type.ofType) : isListType(type));

describe("list sizes", () => {
  it("declares the size of every list of objects (connections' edges follow their page)", () => {
    const lists = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith("__"))
      .flatMap((t) =>
        Object.values((t as ReturnType<typeof schema.getQueryType> & {}).getFields())
          .filter((f) => isList(f.type) && !isLeafType(getNamedType(f.type)))
          .map((f) => `${t.name}.${f.name}`),
      )
      .filter((key) => !key.endsWith("Connection.edges"))
      .sort();
    expect(lists).toEqual(Object.keys(LIST_SIZES).sort());
  });
});
