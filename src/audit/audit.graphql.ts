// The audit log for administrators: read-only, with filters. No operation writes it.
import { builder } from "../graphql/builder";
import { writeErrors } from "../graphql/errors";
import * as audit from "./audit.service";

const AuditActionEnum = builder.enumType("AuditAction", {
  description: "What a write did to a row.",
  values: { INSERT: { description: "Created it." }, UPDATE: { description: "Changed it." }, DELETE: { description: "Removed it." } } as const,
});

builder.prismaObject("AuditLog", {
  name: "AuditEntry",
  description:
    "One write to one row: who (user, role, request), when, and each changed field before and after (personal and bulky fields say only that they changed).",
  fields: (t) => ({
    id: t.id({ description: "Identifier, growing with time: pass it as `before` for the next page.", resolve: (e) => e.id.toString() }),
    at: t.expose("at", { type: "DateTime", description: "When." }),
    actorId: t.exposeID("actorId", { nullable: true, description: "The user who wrote (null: the system, e.g. a job)." }),
    actorRole: t.exposeString("actorRole", {
      description: "Their role then: ADMIN, COORDINATOR, TUTOR, CITIZEN, RESIDENT, ANONYMOUS (signing up or in), or SYSTEM.",
    }),
    requestId: t.exposeString("requestId", { nullable: true, description: "The request (X-Request-Id) it was part of." }),
    table: t.exposeString("tableName", { description: "The table." }),
    rowId: t.exposeString("rowId", { nullable: true, description: "The row's id (null for rows keyed by several columns)." }),
    action: t.field({ type: AuditActionEnum, description: "What the write did.", resolve: (e) => e.action as "INSERT" | "UPDATE" | "DELETE" }),
    changes: t.string({
      description: "The changed fields as JSON: { field: { before, after } } or { field: { hidden: true } }.",
      resolve: (e) => JSON.stringify(e.changes),
    }),
  }),
});

const AuditFilterInput = builder.inputType("AuditFilter", {
  description: "Narrows the audit log.",
  fields: (t) => ({
    actorId: t.id({ required: false, description: "Only this user's writes." }),
    table: t.string({ required: false, description: "Only this table." }),
    rowId: t.string({ required: false, description: "Only this row." }),
    action: t.field({ type: AuditActionEnum, required: false, description: "Only this kind of write." }),
    requestId: t.string({ required: false, description: "Only this request." }),
    from: t.field({ type: "DateTime", required: false, description: "From (inclusive)." }),
    to: t.field({ type: "DateTime", required: false, description: "Until (exclusive)." }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.prismaField({
    type: ["AuditLog"],
    description: "Administrators: the audit log, newest first.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { description: "The entries, newest first." } },
    args: {
      filter: t.arg({ type: AuditFilterInput, required: false, description: "Filters." }),
      first: t.arg.int({ required: false, description: "How many (default 50, at most 200)." }),
      before: t.arg.id({ required: false, description: "Entries older than this one (the last id of the previous page)." }),
    },
    resolve: (_q, _r, { filter, first, before }, context) =>
      audit.auditLog(
        context,
        { ...filter, actorId: filter?.actorId ? String(filter.actorId) : null, tableName: filter?.table ?? null },
        { first: first ?? 50, before: before ? String(before) : null },
      ),
  }),
}));
