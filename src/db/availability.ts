// Whether an error says the database could not serve a request (too busy to answer in time, or
// out of reach), rather than anything about the request. Such errors are the service's, not the
// client's: they answer SERVICE_BUSY or SERVICE_UNAVAILABLE (HTTP 503 with Retry-After) and the
// client may simply try again (src/graphql/guards.ts, src/app.ts).
//
// The errors come in several wrappings: pg-pool's own Error, the driver adapter's DriverAdapterError
// (kinds of @prisma/driver-adapter-utils), Prisma's known request errors (P-codes), PostgreSQL's
// SQLSTATE, and Node's socket errors; `cause`, `meta.driverAdapterError` and `originalError` are followed.

export type DatabaseTrouble = "busy" | "unavailable";

/** Thrown by a service that waited as long as a client would (its turn for a hot seat): answered as busy. */
export class ServiceBusyError extends Error {
  constructor(what: string) {
    super(`busy: ${what}`);
    this.name = "ServiceBusyError";
  }
}

/** Prisma's codes: P2024 no connection from the pool in time, P2028 a transaction could not start or ran out of time, P1008 operations timed out. */
const BUSY_PRISMA = new Set(["P2024", "P2028", "P1008"]);
/** P1001 server not reachable, P1002 reached but timed out, P1017 server closed the connection. */
const UNAVAILABLE_PRISMA = new Set(["P1001", "P1002", "P1017"]);
/** Driver adapter kinds. */
const BUSY_KINDS = new Set(["TooManyConnections", "TransactionWriteConflict", "SocketTimeout"]);
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "DatabaseDoesNotExist"]);
/** SQLSTATE: 53300 too many connections, 57014 statement cancelled (a timeout), 55P03 lock not available, 40001/40P01 serialization and deadlock; 57P0x shutting down or starting, class 08 connection exceptions. */
const BUSY_SQLSTATE = /^(53300|57014|55P03|40001|40P01)$/;
const UNAVAILABLE_SQLSTATE = /^(57P0[1-4]|08...)$/;
const UNAVAILABLE_SOCKET = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT"]);
/** pg, pg-pool and PGlite (the embedded database closed) say these in words only. */
const BUSY_MESSAGE = /timeout exceeded when trying to connect|Unable to start a transaction in the given time|Transaction already closed|operation timed out/i;
const UNAVAILABLE_MESSAGE =
  /Connection terminated|Client has encountered a connection error|Can't reach database server|the database system is (shutting down|starting up|in recovery mode)|terminating connection due to administrator command|Connection refused|PGlite is clos(ed|ing)/i;

/** "busy", "unavailable", or null when the error is not about the database's availability. */
export function databaseTrouble(error: unknown): DatabaseTrouble | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  let found: DatabaseTrouble | null = null;
  while (queue.length > 0 && seen.size < 12) {
    const e = queue.shift();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    if (e instanceof ServiceBusyError) found = "busy";
    const value = e as {
      code?: unknown;
      kind?: unknown;
      originalCode?: unknown;
      message?: unknown;
      cause?: unknown;
      originalError?: unknown;
      meta?: { driverAdapterError?: unknown };
    };
    const code = typeof value.code === "string" ? value.code : "";
    const kind = typeof value.kind === "string" ? value.kind : "";
    const sqlstate = typeof value.originalCode === "string" ? value.originalCode : kind === "postgres" ? code : /^[0-9A-Z]{5}$/.test(code) ? code : "";
    const message = typeof value.message === "string" ? value.message : "";
    // Out of reach wins over busy: waiting is no use when the server is away.
    if (
      UNAVAILABLE_PRISMA.has(code) ||
      UNAVAILABLE_KINDS.has(kind) ||
      UNAVAILABLE_SQLSTATE.test(sqlstate) ||
      UNAVAILABLE_SOCKET.has(code) ||
      UNAVAILABLE_MESSAGE.test(message)
    )
      return "unavailable";
    if (BUSY_PRISMA.has(code) || BUSY_KINDS.has(kind) || BUSY_SQLSTATE.test(sqlstate) || BUSY_MESSAGE.test(message)) found = "busy";
    queue.push(value.cause, value.originalError, value.meta?.driverAdapterError);
  }
  return found;
}

/** Seconds a client should wait before trying again. */
export const RETRY_AFTER_SECONDS: Record<DatabaseTrouble, number> = { busy: 2, unavailable: 5 };
