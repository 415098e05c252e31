import { describe, expect, it } from "vitest";
import type { Notification } from "../generated/prisma/client";
import { LOOKBACK_MS, inboxWatch } from "./inbox-watch";

/** The notification table in memory, answering the two shapes of query the watch makes. */
function table() {
  const rows: Notification[] = [];
  let queries = 0;
  let failNext = false;
  type Where = { userId?: string; createdAt?: { gte: Date }; OR?: Where[] };
  const matches = (row: Notification, where: Where): boolean =>
    where.OR
      ? where.OR.some((w) => matches(row, w))
      : (where.userId === undefined || row.userId === where.userId) && (!where.createdAt || row.createdAt >= where.createdAt.gte);
  const reader = {
    notification: {
      findMany: (async (args: { where: Where; orderBy?: { createdAt: "asc" | "desc" }[]; take?: number }) => {
        queries += 1;
        if (failNext) {
          failNext = false;
          throw new Error("database away");
        }
        const sign = args.orderBy?.[0]?.createdAt === "desc" ? -1 : 1;
        const found = rows
          .filter((r) => matches(r, args.where))
          .sort((a, b) => sign * (a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id)));
        return args.take ? found.slice(0, args.take) : found;
      }) as never,
    },
  };
  let n = 0;
  const add = (userId: string, at: number) => {
    const row = {
      id: `n${String(++n).padStart(4, "0")}`,
      userId,
      kind: "OFFER_RECEIVED",
      params: {},
      key: `k${n}`,
      createdAt: new Date(at),
      readAt: null,
    } as Notification;
    rows.push(row);
    return row.id;
  };
  return { reader, add, queries: () => queries, failOnce: () => (failNext = true) };
}

const T0 = Date.UTC(2027, 0, 4, 9);
const tick = (ms = 40) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects what a follower receives. */
function collect(iterator: AsyncGenerator<Notification>) {
  const got: string[] = [];
  const done = (async () => {
    for await (const n of iterator) got.push(n.id);
  })();
  return { got, done };
}

/** One follower of `userId` on a watch of `db`: `end()` stops it and gives what it received. */
function following(db: ReturnType<typeof table>, userId: string, options: Parameters<typeof inboxWatch>[1] = { intervalMs: 10 }) {
  const watch = inboxWatch(db.reader, options);
  const stop = new AbortController();
  const follower = collect(watch.follow(userId, stop.signal));
  return {
    watch,
    async end() {
      stop.abort();
      await follower.done;
      return follower.got;
    },
  };
}

describe("inboxWatch", () => {
  it("delivers what arrives after the follower came, not what was there before", async () => {
    const db = table();
    db.add("u1", T0);
    const one = following(db, "u1");
    await tick();
    const fresh = db.add("u1", T0 + 1_000);
    db.add("u2", T0 + 1_000);
    await tick();
    expect(await one.end()).toEqual([fresh]);
  });

  it("polls once per interval for all its followers, not once per follower", async () => {
    const db = table();
    const watch = inboxWatch(db.reader, { intervalMs: 20 });
    const stops = Array.from({ length: 50 }, () => new AbortController());
    const followers = stops.map((s, i) => collect(watch.follow(`u${i % 10}`, s.signal)));
    await tick(30);
    const opened = db.queries();
    await tick(200);
    const polls = db.queries() - opened;
    db.add("u3", T0);
    await tick(60);
    for (const s of stops) s.abort();
    await Promise.all(followers.map((f) => f.done));
    // About ten intervals in 200 ms; one query a follower each would be 500.
    expect(polls).toBeGreaterThan(0);
    expect(polls).toBeLessThanOrEqual(12);
    expect(followers.filter((_, i) => i % 10 === 3).every((f) => f.got.length === 1)).toBe(true);
    expect(followers.filter((_, i) => i % 10 !== 3).every((f) => f.got.length === 0)).toBe(true);
  });

  it("delivers a notification committed late (older than one already delivered), and only once", async () => {
    const db = table();
    db.add("u1", T0);
    const one = following(db, "u1");
    await tick();
    const first = db.add("u1", T0 + 10_000);
    await tick();
    // Its transaction began before the one above: an older createdAt, visible only now.
    const late = db.add("u1", T0 + 10_000 - (LOOKBACK_MS - 5_000));
    await tick(60);
    expect(await one.end()).toEqual([first, late]);
  });

  it("stops watching a user when their last follower goes, and polls no more", async () => {
    const db = table();
    const one = following(db, "u1");
    await tick();
    expect(one.watch.users).toBe(1);
    await one.end();
    expect(one.watch.users).toBe(0);
    const after = db.queries();
    await tick(60);
    expect(db.queries()).toBe(after);
  });

  it("keeps following through a failed poll and loses nothing", async () => {
    const db = table();
    const errors: unknown[] = [];
    const one = following(db, "u1", { intervalMs: 10, onError: (e) => errors.push(e) });
    await tick();
    db.failOnce();
    const id = db.add("u1", T0);
    await tick(80);
    const got = await one.end();
    expect(errors).toHaveLength(1);
    expect(got).toEqual([id]);
  });

  it("ends a subscription after its lifetime", async () => {
    const db = table();
    const watch = inboxWatch(db.reader, { intervalMs: 10, lifetimeMs: 50 });
    const follower = collect(watch.follow("u1"));
    await follower.done;
    expect(watch.users).toBe(0);
  });
});
