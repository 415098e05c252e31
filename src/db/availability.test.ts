import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { ConflictError } from "../errors";
import { databaseTrouble } from "./availability";

/** Errors as the drivers and Prisma throw them (shapes read from pg-pool, @prisma/adapter-pg, Prisma 7 and PGlite). */
const prisma = (code: string, cause?: object) =>
  Object.assign(new Error("Invalid invocation"), { code, meta: cause ? { driverAdapterError: { name: "DriverAdapterError", cause } } : {} });
const sqlstate = (code: string) => Object.assign(new Error("postgres said no"), { cause: { kind: "postgres", code, severity: "FATAL", message: "…" } });

describe("databaseTrouble", () => {
  it.each([
    ["pg-pool out of connections", new Error("timeout exceeded when trying to connect")],
    ["Prisma's pool timeout", prisma("P2024")],
    ["a transaction that could not start in time", prisma("P2028")],
    ["too many connections", prisma("P2010", { kind: "TooManyConnections" })],
    ["a deadlock, retryable", sqlstate("40P01")],
    ["a statement cancelled by its timeout", sqlstate("57014")],
  ])("calls %s busy", (_name, error) => {
    expect(databaseTrouble(error)).toBe("busy");
  });

  it.each([
    ["a server that does not answer", prisma("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5999 })],
    ["a connection closed under it", prisma("P1017")],
    ["an administrator's shutdown", sqlstate("57P01")],
    ["a server starting up", sqlstate("57P03")],
    ["a connection exception", sqlstate("08006")],
    ["a refused socket", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["pg's terminated connection", new Error("Connection terminated unexpectedly")],
    ["the embedded database closed", new Error("PGlite is closed")],
    ["one wrapped in a GraphQL error", new GraphQLError("Unexpected", { originalError: prisma("P1001") })],
  ])("calls %s unavailable", (_name, error) => {
    expect(databaseTrouble(error)).toBe("unavailable");
  });

  it.each([
    ["a unique violation", prisma("P2002", { kind: "UniqueConstraintViolation" })],
    ["a typed domain error", new ConflictError("HEADCOUNT_REACHED")],
    ["a programming error", new TypeError("x is undefined")],
    ["a value out of range", sqlstate("22003")],
    ["nothing", null],
    ["a string", "boom"],
  ])("leaves %s alone", (_name, error) => {
    expect(databaseTrouble(error)).toBeNull();
  });

  it("stops on an error that is its own cause", () => {
    const loop: { message: string; cause?: unknown } = { message: "loop" };
    loop.cause = loop;
    expect(databaseTrouble(loop)).toBeNull();
  });
});
