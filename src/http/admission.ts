// Mutations of one kind take turns in each process before they do anything: a burst of one kind
// (five hundred accepts of one seat, a flood of sign-ins) queues here, holding nothing but its
// socket, instead of in the database pool, where every other request would queue behind it.
// At most `width` requests of a kind run at once; the rest wait in order, and one that would
// wait longer than `patienceMs` answers SERVICE_BUSY (503, Retry-After) without having started.
// Queries and the other kinds pass at once. The kind is the mutation's root fields, read from
// the body before Yoga runs (documents parsed once and remembered by their text).
import type { NextFunction, Request, Response } from "express";
import { Kind, parse, type DocumentNode, type SelectionSetNode } from "graphql";
import { RETRY_AFTER_SECONDS } from "../db/availability";
import type { Lang } from "../i18n";
import { troubleError } from "./trouble";

export interface Admission {
  /** Resolves to `release` once a request of `kind` may run, or to null when it waited `patienceMs` in vain. */
  enter(kind: string): Promise<(() => void) | null>;
}

export function admission(options: { width: number; patienceMs: number }): Admission {
  const width = Math.max(1, options.width);
  const lanes = new Map<string, { running: number; waiting: (() => void)[] }>();
  const laneOf = (kind: string) => {
    let lane = lanes.get(kind);
    if (!lane) lanes.set(kind, (lane = { running: 0, waiting: [] }));
    return lane;
  };
  const releaser = (kind: string) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const lane = laneOf(kind);
      const next = lane.waiting.shift();
      // The slot passes straight to the next in line; an empty lane is forgotten.
      if (next) return next();
      lane.running -= 1;
      if (lane.running === 0) lanes.delete(kind);
    };
  };
  return {
    enter(kind) {
      const lane = laneOf(kind);
      if (lane.running < width) {
        lane.running += 1;
        return Promise.resolve(releaser(kind));
      }
      return new Promise((resolve) => {
        const admit = () => {
          clearTimeout(timer);
          resolve(releaser(kind));
        };
        const timer = setTimeout(() => {
          const at = lane.waiting.indexOf(admit);
          if (at >= 0) lane.waiting.splice(at, 1);
          resolve(null);
        }, options.patienceMs);
        lane.waiting.push(admit);
      });
    },
  };
}

/** Documents longer than this are not read here (Yoga's limits answer them): no lane. */
const MAX_READ = 10_000;
const KNOWN = new Map<string, string | null>();
const KNOWN_MAX = 500;

/**
 * The kind of a JSON GraphQL body: its mutation's root field names (sorted, joined with "+"),
 * or null for a query, a subscription, or a body that is not a readable operation (Yoga answers it).
 */
export function mutationKind(body: unknown): string | null {
  if (!Buffer.isBuffer(body) || body.length === 0 || body.length > MAX_READ * 2) return null;
  let params: { query?: unknown; operationName?: unknown };
  try {
    params = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  if (!params || typeof params.query !== "string" || params.query.length > MAX_READ) return null;
  const name = typeof params.operationName === "string" ? params.operationName : "";
  const key = `${name}\n${params.query}`;
  if (KNOWN.has(key)) return KNOWN.get(key)!;
  let kind: string | null = null;
  try {
    kind = kindOf(parse(params.query, { noLocation: true }), name);
  } catch {
    kind = null;
  }
  if (KNOWN.size >= KNOWN_MAX) KNOWN.delete(KNOWN.keys().next().value!);
  KNOWN.set(key, kind);
  return kind;
}

function kindOf(document: DocumentNode, operationName: string): string | null {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (operation?.operation !== "mutation") return null;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const fields = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment);
      }
    }
  };
  visit(operation.selectionSet);
  fields.delete("__typename");
  return fields.size > 0 ? [...fields].sort().join("+") : null;
}

/** Express middleware: a mutation waits for its kind's turn (after the body is read, before Yoga). */
export function admit(gate: Admission, langOf: (request: Request) => Lang) {
  return (request: Request, response: Response, next: NextFunction) => {
    const kind = request.method === "POST" ? mutationKind(request.body) : null;
    if (!kind) return next();
    gate.enter(kind).then((release) => {
      if (!release) {
        const answer = troubleError("busy", langOf(request));
        response
          .status(503)
          .set("retry-after", String(RETRY_AFTER_SECONDS.busy))
          .json({ errors: [{ message: answer.message, extensions: { code: answer.extensions.code, retryAfterSeconds: RETRY_AFTER_SECONDS.busy } }] });
        return;
      }
      // "close" follows the answer's end, and a client that went away.
      response.once("close", release);
      if (response.destroyed) release();
      next();
    }, next);
  };
}
