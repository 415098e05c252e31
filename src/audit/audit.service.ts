// Reading the audit log (administrators only). The log itself is written by database triggers
// and cannot be changed (migration `audit_log`, src/db/audit.ts): nothing here writes.
import { requireViewer } from "../auth/access";
import { ForbiddenError, InputError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { ServiceContext } from "../service-context";

export interface AuditFilter {
  actorId?: string | null;
  tableName?: string | null;
  rowId?: string | null;
  action?: "INSERT" | "UPDATE" | "DELETE" | null;
  requestId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Entries newest first, `first` at a time (at most 200), before the entry `before` (a cursor). */
export async function auditLog(context: ServiceContext, filter: AuditFilter, page: { first: number; before?: string | null }) {
  const viewer = requireViewer(context);
  if (viewer.role !== "ADMIN") throw new ForbiddenError();
  if (page.first < 1 || page.first > 200) throw new InputError("INVALID_RANGE", ["first"], { min: 1, max: 200 });
  if (page.before && !/^\d{1,19}$/.test(page.before)) throw new InputError("INVALID_INPUT", ["before"]);
  if (filter.from && filter.to && filter.to < filter.from) throw new InputError("INVERTED_DATES", ["to"]);
  const where: Prisma.AuditLogWhereInput = {
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.tableName ? { tableName: filter.tableName } : {}),
    ...(filter.rowId ? { rowId: filter.rowId } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.requestId ? { requestId: filter.requestId } : {}),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
    ...(page.before ? { id: { lt: BigInt(page.before) } } : {}),
  };
  return context.prisma.auditLog.findMany({ where, orderBy: { id: "desc" }, take: page.first });
}
