// Guards every resolver of the schema shares: a query stops at its deadline (the rest of its
// fields answer OPERATION_TIMEOUT at once, so a slow document cannot hold the process), and no
// list in an argument is longer than its declared maximum (a typed InputError for mutations and
// queries that return one, TOO_MANY_ITEMS otherwise), checked before any resolver work.
import SchemaBuilder, { BasePlugin, type SchemaTypes } from "@pothos/core";
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { InputError } from "../errors";
import { errorMessage, type Lang } from "../i18n";
import type { Context } from "./context";
import { asTrouble } from "../http/trouble";

/** Items a list argument (or a list field of an input) may have, by its name; others: DEFAULT_LIST_INPUT_MAX. */
export const LIST_INPUT_MAX: Record<string, number> = {
  windows: 50,
  exceptions: 200,
  opening: 50,
  members: 30,
  languages: 20,
  skills: 50,
  citizenIds: 50,
  municipalityIds: 100,
  householdIds: 50,
  tutorIds: 20,
  preferredWeekdays: 7,
  activityKinds: 20,
  requiredLanguages: 10,
  preferredLanguages: 10,
  preferredActivityKinds: 20,
  requiredCourseCodes: 20,
  offerIds: 100,
  goals: 30,
  present: 50,
  notificationIds: 500,
};
export const DEFAULT_LIST_INPUT_MAX = 100;

/** Characters no text may hold: control characters but tab and line breaks (PostgreSQL refuses NUL outright), and lone surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** The longest text any argument may be (fields have smaller limits of their own). */
export const MAX_TEXT = 20_000;
/** The largest magnitude of a Float argument (hours, coordinates: far below it). */
export const MAX_FLOAT = 1e9;

type Problem = { path: string[]; code: "TOO_MANY_ITEMS" | "INVALID_TEXT" | "TOO_LONG" | "INVALID_RANGE"; max?: number };

/** The first argument value that breaks a guard: a list too long, a text with control characters or too long, a Float out of range. */
function problemIn(args: readonly GraphQLArgument[], values: Record<string, unknown>): Problem | null {
  const visit = (type: GraphQLInputType, value: unknown, path: string[]): Problem | null => {
    if (value === null || value === undefined) return null;
    if (isNonNullType(type)) return visit(type.ofType, value, path);
    if (isListType(type)) {
      if (!Array.isArray(value)) return visit(type.ofType as GraphQLInputType, value, path);
      const name = path[path.length - 1] ?? "";
      const max = LIST_INPUT_MAX[name] ?? DEFAULT_LIST_INPUT_MAX;
      if (value.length > max) return { path, code: "TOO_MANY_ITEMS", max };
      for (const item of value) {
        const found = visit(type.ofType as GraphQLInputType, item, path);
        if (found) return found;
      }
      return null;
    }
    const named = getNamedType(type);
    if (typeof value === "string") {
      if (FORBIDDEN_TEXT.test(value)) return { path, code: "INVALID_TEXT" };
      if (value.length > MAX_TEXT) return { path, code: "TOO_LONG", max: MAX_TEXT };
      return null;
    }
    if (typeof value === "number" && named.name === "Float" && !(Math.abs(value) <= MAX_FLOAT)) return { path, code: "INVALID_RANGE" };
    if (isInputObjectType(named) && typeof value === "object") {
      for (const field of Object.values(named.getFields())) {
        const found = visit(field.type, (value as Record<string, unknown>)[field.name], [...path, field.name]);
        if (found) return found;
      }
    }
    return null;
  };
  for (const arg of args) {
    const found = visit(arg.type, values[arg.name], [arg.name]);
    if (found) return found;
  }
  return null;
}

const takesInputError = (field: GraphQLField<unknown, unknown>) => {
  const named = getNamedType(field.type);
  return isUnionType(named) && named.getTypes().some((t) => t.name === "InputError");
};

/** Wraps every field's resolver with the query deadline and the database's availability. Called once, on the built schema. */
export function guardResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: Context, info) => {
        if (context.deadline !== undefined && performance.now() > context.deadline) {
          throw new GraphQLError(
            context.lang === "it"
              ? "La richiesta ha superato il tempo massimo: ripeterla chiedendo meno dati."
              : "The request took longer than allowed: ask for less and try again.",
            { extensions: { code: "OPERATION_TIMEOUT" } },
          );
        }
        // The database too busy or away: a typed, retryable answer, never "Unexpected error".
        const lang = context.lang ?? "en";
        try {
          const result = resolve(source, args, context, info);
          // Prisma's promises are thenables, not Promises.
          return typeof (result as PromiseLike<unknown> | null)?.then === "function"
            ? Promise.resolve(result).catch((error: unknown) => Promise.reject(asTrouble(error, lang)))
            : result;
        } catch (error) {
          throw asTrouble(error, lang);
        }
      };
    }
  }
  return schema;
}

/**
 * The input guards, as a Pothos plugin placed after the errors plugin, so that an InputError is
 * answered as the field's typed result (fields without one answer a GraphQL error with the same
 * code): lists over their maximum, texts with control characters or over MAX_TEXT, Floats over
 * MAX_FLOAT. Checked before any work, so nothing is written.
 */
export class ListInputLimitsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: GraphQLFieldResolver<unknown, Types["Context"], object>): GraphQLFieldResolver<unknown, Types["Context"], object> {
    return (parent, args, context, info) => {
      const field = info.parentType.getFields()[info.fieldName];
      if (field && field.args.length > 0) {
        const found = problemIn(field.args, args as Record<string, unknown>);
        if (found) {
          const params: Record<string, number> = found.max === undefined ? {} : { max: found.max };
          if (takesInputError(field)) throw new InputError(found.code, found.path, params);
          const lang: Lang = (context as { lang?: Lang }).lang ?? "en";
          throw new GraphQLError(errorMessage(new InputError(found.code, found.path, params), lang), {
            extensions: { code: found.code, field: found.path, ...params },
          });
        }
      }
      return resolver(parent, args, context, info);
    };
  }
}

SchemaBuilder.registerPlugin("listInputLimits", ListInputLimitsPlugin);

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      listInputLimits: ListInputLimitsPlugin<Types>;
    }
  }
}
