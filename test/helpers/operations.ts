// Builds a minimal operation for any root field of the schema, with plausible argument values:
// ids come from a caller's map (real ids of other people's objects, for IDOR checks), other
// values are type-correct placeholders. Used by the role matrix.
import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType, type GraphQLField, type GraphQLInputType } from "graphql";
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
const INTS: Record<string, number> = { minimumAge: 18, year: 2026, minutes: 60, responseHours: 24, first: 5, durationMinutes: 60, headcount: 1, priority: 3, minSkillLevel: 1, level: 1, birthYear: 1980, weeklyHourLimit: 5, maxTravelMinutes: 30, capacity: 5, hourBudgetMinutes: 600 };
const DATES: Record<string, string> = { birthDate: "1985-05-05", completedOn: "2026-10-01", checkedOn: "2026-10-01", to: "2026-12-15", moveOut: "2027-06-01", weekStart: "2026-11-23", endDate: "2027-06-30", validTo: "2027-12-31", expiresOn: "2027-12-31" };

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
    return Object.fromEntries(Object.values(fields).filter((f) => isNonNullType(f.type) || FILLED.has(`${named.name}.${f.name}`)).map((f) => [f.name, value(f.type, f.name, ids, depth + 1)]));
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
  if (isUnionType(named)) return `{ __typename ... on Error { code }${named.getTypes().some((t) => t.name === "InputError") ? " ... on InputError { field }" : ""} }`;
  if (isObjectType(named)) return "{ __typename }";
  return "";
}

/** The operation and variables calling `fieldName` with its required arguments. */
export function operationFor(kind: "query" | "mutation", fieldName: string, ids: (argName: string) => string): { query: string; variables: Record<string, unknown> } {
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
  if (isInputObjectType(named)) return `{ ${Object.entries(v as object).map(([k, x]) => `${k}: ${literal(named.getFields()[k]!.type, x)}`).join(", ")} }`;
  if (isScalarType(named) && (named.name === "Int" || named.name === "Float" || named.name === "Boolean")) return String(v);
  return JSON.stringify(v);
}

