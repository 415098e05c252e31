// Builds the Pothos schema builder and nothing else: each area adds its types and fields.
import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { GraphQLError } from "graphql";
import type PrismaTypes from "../generated/pothos-prisma-types";
import { getDatamodel } from "../generated/pothos-prisma-types";
import type { Context } from "./context";

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export interface AuthScopes {
  /** Any signed-in user. */
  authenticated: boolean;
  admin: boolean;
  coordinator: boolean;
  tutor: boolean;
  citizen: boolean;
  /** Administrators and coordinators: the people who manage the register. */
  staff: boolean;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    LocalTime: { Input: string; Output: string };
    ID: { Input: string; Output: string | number };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => {
      const role = context.viewer?.role;
      return {
        authenticated: role !== undefined,
        admin: role === "ADMIN",
        coordinator: role === "COORDINATOR",
        tutor: role === "TUTOR",
        citizen: role === "CITIZEN",
        staff: role === "ADMIN" || role === "COORDINATOR",
      };
    },
    unauthorizedError: (_parent, context) =>
      context.viewer
        ? new GraphQLError(context.lang === "it" ? "Non hai il permesso di farlo." : "You are not allowed to do this.", {
            extensions: { code: "FORBIDDEN" },
          })
        : new GraphQLError(context.lang === "it" ? "Accesso richiesto." : "Authentication required.", {
            extensions: { code: "UNAUTHENTICATED" },
          }),
  },
  errors: {
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
  },
});
