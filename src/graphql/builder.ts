// Builds the Pothos schema builder and nothing else: each area adds its types and fields.
import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { GraphQLError } from "graphql";
import { accessMessage } from "../i18n";
import type PrismaTypes from "../generated/pothos-prisma-types";
import { getDatamodel } from "../generated/pothos-prisma-types";
import type { Context } from "./context";
import "./guards";

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export interface AuthScopes {
  /** Any signed-in user. */
  authenticated: boolean;
  admin: boolean;
  coordinator: boolean;
  tutor: boolean;
  citizen: boolean;
  /** A household's contact in a shared house. */
  resident: boolean;
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
  // listInputLimits after errors: its wrapper runs inside, so its InputError is a typed result.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, "listInputLimits", PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Subscriptions are authorized when they start, not only per event.
    authorizeOnSubscribe: true,
    authScopes: (context) => {
      const role = context.viewer?.role;
      return {
        authenticated: role !== undefined,
        admin: role === "ADMIN",
        coordinator: role === "COORDINATOR",
        tutor: role === "TUTOR",
        citizen: role === "CITIZEN",
        resident: role === "RESIDENT",
        staff: role === "ADMIN" || role === "COORDINATOR",
      };
    },
    unauthorizedError: (_parent, context) =>
      context.viewer
        ? new GraphQLError(accessMessage(true, context.lang), {
            extensions: { code: "FORBIDDEN" },
          })
        : new GraphQLError(accessMessage(false, context.lang), {
            extensions: { code: "UNAUTHENTICATED" },
          }),
  },
  errors: {
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success`, description: "The result of the field when it succeeds." },
    defaultUnionOptions: {
      name: ({ fieldName }) => `${capitalize(fieldName)}Result`,
      description: "The result of the field, or one of the typed errors it can end with (then nothing was changed).",
    },
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
    pageInfoTypeOptions: { description: "Where a page sits in a paginated list (Relay cursor connections)." },
    hasNextPageFieldOptions: { description: "Whether more items follow this page." },
    hasPreviousPageFieldOptions: { description: "Whether items come before this page." },
    startCursorFieldOptions: { description: "Cursor of the first item of the page." },
    endCursorFieldOptions: { description: "Cursor of the last item of the page: pass it as `after` for the next page." },
    cursorFieldOptions: { description: "Opaque cursor of this item." },
    nodeFieldOptions: { description: "The item." },
    edgesFieldOptions: { description: "The items of this page, with their cursors." },
    pageInfoFieldOptions: { description: "Where this page sits in the list." },
    firstArgOptions: { description: "Page size counting forwards from `after`." },
    afterArgOptions: { description: "Cursor to continue after." },
    lastArgOptions: { description: "Page size counting backwards from `before`." },
    beforeArgOptions: { description: "Cursor to continue before." },
  },
});
