// Builds a minimal operation for any root field of the schema, with plausible argument values:
// ids come from a caller's map (real ids of other people's objects, for IDOR checks), other
// values are type-correct placeholders. Used by the role matrix.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from "graphql";
import { schema } from "../../src/graphql/schema";

const STRINGS: Record<string, string> = {
  email: "someone@example.org",
  password: "quiet river stone 42",
  initialPassword: "quiet river stone 42",
  reason: "test reason",
  note: "test note",
  month: "2026-12",
  mediationLanguage: "fr",
  languages: "ar",
  languageCode: "fr",
  skillCode: "CONVERSATION",
  requiredSkillCode: "CONVERSATION",
  code: "TEST_SKILL",
  courseCode: "FIRST_AID",
};
const INTS: Record<string, number> = {
  minimumAge: 18,
  year: 2026,
  minutes: 60,
  responseHours: 24,
  first: 5,
  durationMinutes: 60,
  headcount: 1,
  priority: 3,
  minSkillLevel: 1,
  level: 1,
  birthYear: 1980,
  weeklyHourLimit: 5,
  maxTravelMinutes: 30,
  capacity: 5,
  hourBudgetMinutes: 600,
};
const DATES: Record<string, string> = {
  birthDate: "1985-05-05",
  completedOn: "2026-10-01",
  checkedOn: "2026-10-01",
  to: "2026-12-15",
  moveOut: "2027-06-01",
  weekStart: "2026-11-23",
  endDate: "2027-06-30",
  validTo: "2027-12-31",
  expiresOn: "2027-12-31",
};

/** Booleans and enum values that must be consistent with the other placeholders. */
const BOOLEANS: Record<string, boolean> = { isMinor: false, remote: false };
const ENUMS: Record<string, string> = { frequency: "WEEKLY" };
const FILLED = new Set(["TaskInput.municipalityId"]);

export function value(type: GraphQLInputType, name: string, ids: (name: string) => string, depth = 0): unknown {
  if (isNonNullType(type)) return value(type.ofType, name, ids, depth);
  if (isListType(type)) return depth > 2 ? [] : [value(type.ofType as GraphQLInputType, name, ids, depth + 1)];
  const named = getNamedType(type);
  if (isEnumType(named)) return ENUMS[name] ?? named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    const fields = named.getFields();
    // Required fields, and the optional ones other placeholders depend on (a task's town).
    return Object.fromEntries(
      Object.values(fields)
        .filter((f) => isNonNullType(f.type) || FILLED.has(`${named.name}.${f.name}`))
        .map((f) => [f.name, value(f.type, f.name, ids, depth + 1)]),
    );
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case "ID":
        return ids(name);
      case "Int":
        return INTS[name] ?? 1;
      case "Float":
        return 1;
      case "Boolean":
        return BOOLEANS[name] ?? true;
      case "Date":
        return DATES[name] ?? "2026-12-01";
      case "DateTime":
        return "2026-12-01T10:00:00.000Z";
      case "LocalTime":
        return name === "end" ? "12:00" : "10:00";
      default:
        return STRINGS[name] ?? "Test";
    }
  }
  return null;
}

function selection(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  if (isUnionType(named))
    return `{ __typename ... on Error { code }${named.getTypes().some((t) => t.name === "InputError") ? " ... on InputError { field }" : ""} }`;
  if (isObjectType(named)) return "{ __typename }";
  return "";
}

/** The operation and variables calling `fieldName` with its required arguments. */
export function operationFor(
  kind: "query" | "mutation",
  fieldName: string,
  ids: (argName: string) => string,
): { query: string; variables: Record<string, unknown> } {
  const root = kind === "query" ? schema.getQueryType()! : schema.getMutationType()!;
  const field = root.getFields()[fieldName]!;
  const args = field.args.filter((a) => isNonNullType(a.type));
  const defs = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
  const call = args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const query = `${kind}${defs ? `(${defs})` : ""} { ${fieldName}${call ? `(${call})` : ""} ${selection(field)} }`;
  return { query, variables: Object.fromEntries(args.map((a) => [a.name, value(a.type, a.name, ids)])) };
}

export function rootFields(kind: "query" | "mutation"): string[] {
  const root = kind === "query" ? schema.getQueryType()! : schema.getMutationType()!;
  return Object.keys(root.getFields()).sort();
}

/** A GraphQL literal for an argument value. */
export function literal(type: GraphQLInputType, v: unknown): string {
  if (isNonNullType(type)) return literal(type.ofType, v);
  if (v === null || v === undefined) return "null";
  if (isListType(type)) return `[${(v as unknown[]).map((x) => literal(type.ofType as GraphQLInputType, x)).join(", ")}]`;
  const named = getNamedType(type);
  if (isEnumType(named)) return String(v);
  if (isInputObjectType(named))
    return `{ ${Object.entries(v as object)
      .map(([k, x]) => `${k}: ${literal(named.getFields()[k]!.type, x)}`)
      .join(", ")} }`;
  if (isScalarType(named) && (named.name === "Int" || named.name === "Float" || named.name === "Boolean")) return String(v);
  return JSON.stringify(v);
}

/** Every field under `type`, to maxDepth, no type twice on a path; arguments of nested fields filled. */
export function fullSelection(type: GraphQLObjectType, ids: (arg: string) => string, depth: number, path: Set<string>, alias = "", maxDepth = 4): string {
  const parts = ["__typename"];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    const required = field.args.filter((a) => isNonNullType(a.type));
    const call = required.length ? `(${required.map((a) => `${a.name}: ${literal(a.type, value(a.type, a.name, ids))}`).join(", ")})` : "";
    if (isLeafType(named)) {
      // Members of one union may share a field name with another type: aliased apart.
      parts.push(`${alias ? `${alias}_${field.name}: ` : ""}${field.name}${call}`);
      continue;
    }
    if (depth >= maxDepth) continue;
    const members = isUnionType(named) ? named.getTypes() : isObjectType(named) ? [named] : [];
    const inner = members
      .filter((m) => !path.has(m.name))
      .map((m) =>
        isUnionType(named)
          ? `... on ${m.name} { ${fullSelection(m, ids, depth + 1, new Set([...path, m.name]), "", maxDepth)} }`
          : fullSelection(m, ids, depth + 1, new Set([...path, m.name]), "", maxDepth),
      );
    parts.push(`${field.name}${call} { __typename ${inner.join(" ")} }`);
  }
  return parts.join(" ");
}

/** The document calling `field` with variables for its required arguments, selecting all of its payload. */
export function documentFor(
  field: GraphQLField<unknown, unknown>,
  ids: (arg: string) => string,
  only: "all" | "typename" = "all",
  kind: "query" | "mutation" = "mutation",
  maxDepth = 4,
): string {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
  const call = required.map((a) => `${a.name}: $${a.name}`).join(", ");
  const named = getNamedType(field.type);
  const members = isUnionType(named) ? named.getTypes() : isObjectType(named) ? [named] : [];
  const selection =
    members.length === 0
      ? ""
      : only === "typename"
        ? "{ __typename }"
        : `{ __typename ${members.map((m) => (isUnionType(named) ? `... on ${m.name} { ${fullSelection(m, ids, 1, new Set([m.name]), m.name.endsWith("Error") ? m.name : "", maxDepth)} }` : fullSelection(m, ids, 1, new Set([m.name]), "", maxDepth))).join(" ")} }`;
  return `${kind}${defs ? `(${defs})` : ""} { ${field.name}${call ? `(${call})` : ""} ${selection} }`;
}

/** Values an attacker tries, by scalar type: control characters, a NUL, lone surrogates, very long text, extreme numbers, dates out of range, ids that are not ids. */
export const HOSTILE: Record<string, unknown[]> = {
  String: ["\u0000", "before\u0000after", "\u0007bell", "\uD800", "x".repeat(30_000), "", " ", "‮ltr-override", 'Robert\'); DROP TABLE "Citizen";--'],
  ID: ["", "not-an-id", "' OR 1=1 --", "\u0000", "x".repeat(5_000)],
  Int: [2_147_483_647, -2_147_483_648, 2 ** 40, 0, -1],
  Float: [1e308, -1e308, 0, -1, 1e-300],
  Boolean: [true, false],
  Date: ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "2026-02-30", "2026-13-01", ""],
  DateTime: ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+275760-09-13T00:00:00Z", "2026-03-29T02:30:00+01:00", "not a time"],
  LocalTime: ["24:00", "23:59", "00:00", "25:00", "\u0000"],
};

/** Each place a hostile value can go: [argument, field of its input, ...], with the scalar type there. */
export function positions(field: GraphQLField<unknown, unknown>): { path: string[]; scalar: string }[] {
  const out: { path: string[]; scalar: string }[] = [];
  const visit = (type: GraphQLInputType, path: string[], depth: number) => {
    const named = getNamedType(type);
    if (isScalarType(named)) out.push({ path, scalar: named.name });
    else if (isInputObjectType(named) && depth < 2) for (const f of Object.values(named.getFields())) visit(f.type, [...path, f.name], depth + 1);
  };
  for (const arg of field.args) visit(arg.type, [arg.name], 0);
  return out;
}

/** The variables with `hostile` placed at `path` (inside a list, in its first item). */
export function withValue(
  variables: Record<string, unknown>,
  field: GraphQLField<unknown, unknown>,
  path: string[],
  hostile: unknown,
  ids: (arg: string) => string,
): Record<string, unknown> {
  const copy = structuredClone(variables);
  const arg = field.args.find((a) => a.name === path[0])!;
  if (path.length === 1) {
    copy[path[0]!] = isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type) ? [hostile] : hostile;
    return copy;
  }
  let target = copy[path[0]!] as Record<string, unknown> | Record<string, unknown>[] | undefined;
  if (target === undefined || target === null) target = copy[path[0]!] = value(arg.type, arg.name, ids) as Record<string, unknown>;
  if (Array.isArray(target)) target = target[0] as Record<string, unknown>;
  for (const key of path.slice(1, -1)) {
    let next = target![key] as Record<string, unknown> | Record<string, unknown>[];
    if (Array.isArray(next)) next = next[0]!;
    target = next;
    if (!target) return copy;
  }
  const last = path[path.length - 1]!;
  target![last] = Array.isArray(target![last]) ? [hostile] : hostile;
  return copy;
}
