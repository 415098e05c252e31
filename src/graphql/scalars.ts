import { GraphQLError, Kind } from "graphql";
import { DateTime } from "luxon";
import { formatInstant, ZONE } from "../time/local-time";
import { builder } from "./builder";

function stringLiteral(ast: { kind: string; value?: unknown }, name: string): string {
  if (ast.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string`);
  return ast.value as string;
}

function parseDateTime(value: unknown): Date {
  if (typeof value !== "string" || !/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    throw new GraphQLError("DateTime must be an ISO 8601 string with a UTC offset, e.g. 2026-03-29T16:00:00+02:00");
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) throw new GraphQLError(`Invalid DateTime: ${value}`);
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
    throw new GraphQLError(`Date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
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
    throw new GraphQLError(`LocalTime must be HH:mm between 00:00 and 24:00, got ${JSON.stringify(value)}`);
  }
  return value;
}

builder.scalarType("LocalTime", {
  description: "A wall-clock time in Europe/Rome, HH:mm from 00:00 to 24:00 (24:00 only as an end).",
  serialize: (value) => String(value),
  parseValue: parseLocalTime,
  parseLiteral: (ast) => parseLocalTime(stringLiteral(ast, "LocalTime")),
});
