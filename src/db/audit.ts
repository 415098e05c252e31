// Who is writing, for the audit log. The audit rows are written by database triggers (migration
// `audit_log`); they read the actor from transaction-local settings. This module keeps the actor
// of the current request (or job) in AsyncLocalStorage and wraps the Prisma driver adapter so
// that every transaction starts by setting them, and a write outside a transaction runs in one
// that does. Without an actor (jobs, the demo loader) the triggers record SYSTEM.
import { AsyncLocalStorage } from "node:async_hooks";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

export interface Actor {
  userId: string | null;
  role: string;
  requestId: string | null;
}

const storage = new AsyncLocalStorage<Actor>();

/** Runs `work` with `actor` as the author of every write it makes. */
export function runAs<T>(actor: Actor, work: () => T): T {
  return storage.run(actor, work);
}

/** Runs `work` with no actor: what it writes is the system's (jobs started by a request). */
export function runAsSystem<T>(work: () => T): T {
  return storage.exit(work);
}

export function currentActor(): Actor | undefined {
  return storage.getStore();
}

const SET_ACTOR = "SELECT set_config('legami.actor_id', $1, true), set_config('legami.actor_role', $2, true), set_config('legami.request_id', $3, true)";
const text = { scalarType: "string", arity: "scalar" } as const;

async function identify(tx: Transaction, actor: Actor) {
  await tx.queryRaw({ sql: SET_ACTOR, args: [actor.userId ?? "", actor.role, actor.requestId ?? ""], argTypes: [text, text, text] });
}

const WRITE = /^\s*(WITH\b[\s\S]*\b)?(INSERT|UPDATE|DELETE|MERGE)\b/i;

/** SQL statements sent by this process's clients (for N+1 checks in tests and diagnostics). */
let statements = 0;
export function statementsExecuted(): number {
  return statements;
}

/** Where statements are also handed, when set (the benchmark's EXPLAIN of the hot operations). */
let sink: ((query: SqlQuery) => void) | null = null;
export function recordStatements(to: ((query: SqlQuery) => void) | null): void {
  sink = to;
}
function sent(query: SqlQuery) {
  statements += 1;
  sink?.(query);
}

/** A transaction whose statements are counted. */
function counted(tx: Transaction): Transaction {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "queryRaw" || property === "executeRaw") {
        const method = Reflect.get(target, property, receiver) as (q: SqlQuery) => Promise<unknown>;
        return (query: SqlQuery) => {
          sent(query);
          return method.call(target, query);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function audited(adapter: SqlDriverAdapter): SqlDriverAdapter {
  /** A single write outside a transaction runs in one that names the actor. */
  const alone = async <T>(query: SqlQuery, run: (q: Transaction) => Promise<T>, direct: () => Promise<T>): Promise<T> => {
    const actor = currentActor();
    if (!actor || !WRITE.test(query.sql)) return direct();
    const tx = await adapter.startTransaction();
    // Adapters without phantom queries (pg) expect the caller to send COMMIT or ROLLBACK, as
    // Prisma does, before commit() or rollback() releases the connection.
    const end = async (sql: "COMMIT" | "ROLLBACK") => {
      if (!tx.options.usePhantomQuery) await tx.executeRaw({ sql, args: [], argTypes: [] });
    };
    try {
      await identify(tx, actor);
      const result = await run(tx);
      await end("COMMIT");
      await tx.commit();
      return result;
    } catch (error) {
      await end("ROLLBACK").catch(() => {});
      await tx.rollback();
      throw error;
    }
  };
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property === "startTransaction") {
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => {
          const tx = await target.startTransaction(...args);
          const actor = currentActor();
          if (actor) await identify(tx, actor);
          return counted(tx);
        };
      }
      if (property === "queryRaw")
        return (query: SqlQuery) => {
          sent(query);
          return alone(
            query,
            (tx) => tx.queryRaw(query),
            () => target.queryRaw(query),
          );
        };
      if (property === "executeRaw")
        return (query: SqlQuery) => {
          sent(query);
          return alone(
            query,
            (tx) => tx.executeRaw(query),
            () => target.executeRaw(query),
          );
        };
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The driver adapter factory whose connections name the actor of every write. */
export function auditedAdapter<F extends SqlDriverAdapterFactory>(factory: F): F {
  return new Proxy(factory, {
    get(target, property, receiver) {
      if (property === "connect") return async () => audited(await target.connect());
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
