import { GraphQLError, Kind } from "graphql";
import { DateTime } from "luxon";
import { formatInstant, ZONE } from "../time/local-time";
import { builder } from "./builder";

/** Scalar errors carry a code, kept when GraphQL reports them as a variable's invalid value. */
const BAD_INPUT = { extensions: { code: "BAD_USER_INPUT" } };

/** Dates and instants the service takes: births from 1900, plans up to 2200 (and no year the database or JavaScript cannot hold). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

function stringLiteral(ast: { kind: string; value?: unknown }, name: string): string {
  if (ast.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string`, BAD_INPUT);
  return ast.value as string;
}

function parseDateTime(value: unknown): Date {
  if (typeof value !== "string" || !/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    throw new GraphQLError("DateTime must be an ISO 8601 string with a UTC offset, e.g. 2026-03-29T16:00:00+02:00", BAD_INPUT);
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) throw new GraphQLError(`Invalid DateTime: ${value}`, BAD_INPUT);
  if (parsed.year < MIN_YEAR || parsed.year > MAX_YEAR)
    throw new GraphQLError(`DateTime must be between the years ${MIN_YEAR} and ${MAX_YEAR}, got ${value}`, BAD_INPUT);
  return parsed.toJSDate();
}

builder.scalarType("DateTime", {
  description: "An instant, as ISO 8601 with a UTC offset. Output is in Europe/Rome local time with its offset.",
  serialize: (value) => formatInstant((value as Date).getTime(), ZONE),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(stringLiteral(ast, "DateTime")),
});

function parseDate(value: unknown): string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) {
    throw new GraphQLError(`Date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`, BAD_INPUT);
  }
  const year = Number(value.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) throw new GraphQLError(`Date must be between the years ${MIN_YEAR} and ${MAX_YEAR}, got ${value}`, BAD_INPUT);
  return value;
}

builder.scalarType("Date", {
  description: "A calendar date, YYYY-MM-DD (no time zone).",
  serialize: (value) => String(value),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(stringLiteral(ast, "Date")),
});

function parseLocalTime(value: unknown): string {
  if (typeof value !== "string" || !/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(value)) {
    throw new GraphQLError(`LocalTime must be HH:mm between 00:00 and 24:00, got ${JSON.stringify(value)}`, BAD_INPUT);
  }
  return value;
}

builder.scalarType("LocalTime", {
  description: "A wall-clock time in Europe/Rome, HH:mm from 00:00 to 24:00 (24:00 only as an end).",
  serialize: (value) => String(value),
  parseValue: parseLocalTime,
  parseLiteral: (ast) => parseLocalTime(stringLiteral(ast, "LocalTime")),
});
