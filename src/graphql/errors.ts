// The typed errors of src/errors.ts as GraphQL types, with words in the caller's language.
import { type AppError, AuthenticationError, ConflictError, ForbiddenError, InputError, NotFoundError, RateLimitError } from "../errors";
import { errorMessage, knownErrorCodes } from "../i18n";
import { builder } from "./builder";

export const ErrorCode = builder.enumType("ErrorCode", {
  description: "Stable codes of the errors a client should handle.",
  values: Object.fromEntries(knownErrorCodes().map((code) => [code, { value: code }])),
});

export const ErrorInterface = builder.interfaceRef<AppError>("Error").implement({
  description: "An error the client can handle: a stable code and a message in the caller's language.",
  fields: (t) => ({
    code: t.field({ type: ErrorCode, description: "Stable, machine-readable code.", resolve: (error) => error.code }),
    message: t.string({
      description: "Human-readable explanation (Italian or English, from Accept-Language).",
      resolve: (error, _args, context) => errorMessage(error, context.lang),
    }),
  }),
});

builder.objectType(InputError, {
  name: "InputError",
  description: "The input is malformed or refers to something unknown. Nothing was changed.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InputError,
  fields: (t) => ({
    field: t.stringList({ description: 'Path of the offending input field, e.g. ["windows", "2"].', resolve: (error) => error.field }),
  }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  description: "The object does not exist or is not visible to the caller.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({
    entity: t.exposeString("entity", { description: "Kind of object looked for." }),
  }),
});

builder.objectType(ForbiddenError, {
  name: "ForbiddenError",
  description: "The caller may not perform this action on this object.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
  fields: () => ({}),
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  description: "The request is well formed but the current state does not allow it. Nothing was changed.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({
    details: t.stringList({ description: "Machine-readable details, e.g. the missing requirements.", resolve: (error) => error.details }),
  }),
});

builder.objectType(AuthenticationError, {
  name: "AuthenticationError",
  description: "Wrong email or password.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof AuthenticationError,
  fields: () => ({}),
});

builder.objectType(RateLimitError, {
  name: "RateLimitError",
  description: "Too many attempts: wait before trying again. Nothing was done.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RateLimitError,
  fields: (t) => ({
    retryAfterSeconds: t.exposeInt("retryAfterSeconds", { description: "Seconds to wait." }),
  }),
});

/** The errors every write may return. */
export const writeErrors = [InputError, NotFoundError, ForbiddenError, ConflictError];
