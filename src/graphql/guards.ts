// Guards every resolver of the schema shares: a query stops at its deadline (the rest of its
// fields answer OPERATION_TIMEOUT at once, so a slow document cannot hold the process), and no
// list in an argument is longer than its declared maximum (a typed InputError for mutations and
// queries that return one, TOO_MANY_ITEMS otherwise), checked before any resolver work.
import SchemaBuilder, { BasePlugin, type SchemaTypes } from "@pothos/core";
import { defaultFieldResolver, getNamedType, GraphQLError, isInputObjectType, isListType, isNonNullType, isObjectType, isUnionType, type GraphQLArgument, type GraphQLField, type GraphQLFieldResolver, type GraphQLInputType, type GraphQLSchema } from "graphql";
import { InputError } from "../errors";
import type { Context } from "./context";

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

/** The first list in the arguments longer than its maximum: where, and the maximum. */
function tooLong(args: readonly GraphQLArgument[], values: Record<string, unknown>): { path: string[]; max: number } | null {
  const visit = (type: GraphQLInputType, value: unknown, path: string[]): { path: string[]; max: number } | null => {
    if (value === null || value === undefined) return null;
    if (isNonNullType(type)) return visit(type.ofType, value, path);
    if (isListType(type)) {
      if (!Array.isArray(value)) return null;
      const name = path[path.length - 1] ?? "";
      const max = LIST_INPUT_MAX[name] ?? DEFAULT_LIST_INPUT_MAX;
      if (value.length > max) return { path, max };
      for (const item of value) {
        const found = visit(type.ofType as GraphQLInputType, item, path);
        if (found) return found;
      }
      return null;
    }
    const named = getNamedType(type);
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

/** Whether an argument's type holds a list anywhere (itself, or a field of an input, at any depth). */
function holdsList(type: GraphQLInputType, seen = new Set<string>()): boolean {
  if (isNonNullType(type)) return holdsList(type.ofType, seen);
  if (isListType(type)) return true;
  const named = getNamedType(type);
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => holdsList(f.type, seen));
}

const takesInputError = (field: GraphQLField<unknown, unknown>) => {
  const named = getNamedType(field.type);
  return isUnionType(named) && named.getTypes().some((t) => t.name === "InputError");
};

/** Wraps every field's resolver with the query deadline. Called once, on the built schema. */
export function guardResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: Context, info) => {
        if (context.deadline !== undefined && performance.now() > context.deadline) {
          throw new GraphQLError(context.lang === "it" ? "La richiesta ha superato il tempo massimo: ripeterla chiedendo meno dati." : "The request took longer than allowed: ask for less and try again.", { extensions: { code: "OPERATION_TIMEOUT" } });
        }
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}

/**
 * The list-length guard, as a Pothos plugin placed after the errors plugin, so that its
 * InputError is answered as the field's typed result (fields without one answer TOO_MANY_ITEMS).
 */
export class ListInputLimitsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: GraphQLFieldResolver<unknown, Types["Context"], object>): GraphQLFieldResolver<unknown, Types["Context"], object> {
    return (parent, args, context, info) => {
      const field = info.parentType.getFields()[info.fieldName];
      if (field && field.args.length > 0 && field.args.some((a) => holdsList(a.type))) {
        const found = tooLong(field.args, args as Record<string, unknown>);
        if (found) {
          if (takesInputError(field)) throw new InputError("TOO_MANY_ITEMS", found.path, { max: found.max });
          const lang = (context as { lang?: string }).lang;
          throw new GraphQLError(lang === "it" ? `Troppi elementi in ${found.path.join(".")}: al massimo ${found.max}.` : `Too many items in ${found.path.join(".")}: at most ${found.max}.`, { extensions: { code: "TOO_MANY_ITEMS", field: found.path, max: found.max } });
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
