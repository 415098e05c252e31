// Live inboxes: one poll of the database per process every half second for every user with an
// open subscription (notifications are written by any process), not one per subscription: two
// hundred subscriptions used to make four hundred queries a second.
//
// Times compared are the database's own (createdAt), never this process's clock. A notification's
// createdAt is when its transaction began, so one committed late can be older than one already
// seen: every poll looks back LOOKBACK_MS (longer than the longest transaction that notifies)
// and remembers what it delivered in that window, so a late commit is delivered, and once.
import type { Notification, PrismaClient } from "../generated/prisma/client";

/** How far back each poll reads: past the 60 s that publishing's transaction may last. */
export const LOOKBACK_MS = 90_000;

export interface InboxWatch {
  /** The user's notifications created from now on, as they arrive, until `signal` aborts or `lifetimeMs` passes. */
  follow(userId: string, signal?: AbortSignal): AsyncGenerator<Notification>;
  /** Users being followed (for tests and metrics). */
  readonly users: number;
}

interface Inbox {
  /** Latest createdAt delivered (or present when the first follower came). */
  since: Date;
  /** Ids read within LOOKBACK_MS of `since`, with their createdAt. */
  seen: Map<string, number>;
  followers: Set<(notification: Notification) => void>;
}

type NotificationReader = { notification: Pick<PrismaClient["notification"], "findMany"> };

export function inboxWatch(
  prisma: NotificationReader,
  options: { intervalMs?: number; lifetimeMs?: number; onError?: (error: unknown) => void } = {},
): InboxWatch {
  const intervalMs = options.intervalMs ?? 500;
  // A subscription ends after this long (clients reconnect): about as long as the 24,000 polls it used to make.
  const lifetimeMs = options.lifetimeMs ?? 12_000_000;
  const inboxes = new Map<string, Inbox>();
  const opening = new Map<string, Promise<Inbox>>();
  let timer: NodeJS.Timeout | null = null;

  const remember = (inbox: Inbox, rows: { id: string; createdAt: Date }[]) => {
    for (const row of rows) {
      inbox.seen.set(row.id, row.createdAt.getTime());
      if (row.createdAt > inbox.since) inbox.since = row.createdAt;
    }
    const floor = inbox.since.getTime() - LOOKBACK_MS;
    for (const [id, at] of inbox.seen) if (at < floor) inbox.seen.delete(id);
  };

  const open = async (userId: string): Promise<Inbox> => {
    const recent = await prisma.notification.findMany({
      where: { userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 1,
      select: { id: true, createdAt: true },
    });
    const inbox: Inbox = { since: recent[0]?.createdAt ?? new Date(0), seen: new Map(), followers: new Set() };
    if (recent[0]) {
      // What is already there, as far back as a poll will look, is not news.
      remember(
        inbox,
        await prisma.notification.findMany({
          where: { userId, createdAt: { gte: new Date(inbox.since.getTime() - LOOKBACK_MS) } },
          select: { id: true, createdAt: true },
        }),
      );
    }
    return inbox;
  };

  const poll = async () => {
    timer = null;
    if (inboxes.size === 0) return;
    try {
      const fresh = await prisma.notification.findMany({
        where: { OR: [...inboxes].map(([userId, inbox]) => ({ userId, createdAt: { gte: new Date(inbox.since.getTime() - LOOKBACK_MS) } })) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      for (const notification of fresh) {
        const inbox = inboxes.get(notification.userId);
        if (!inbox || inbox.seen.has(notification.id)) continue;
        remember(inbox, [notification]);
        for (const deliver of inbox.followers) deliver(notification);
      }
    } catch (error) {
      // The database away for a moment: the next poll tries again, and nothing is lost (the look-back).
      options.onError?.(error);
    }
    schedule();
  };

  const schedule = () => {
    if (timer || inboxes.size === 0) return;
    timer = setTimeout(() => void poll(), intervalMs);
    timer.unref();
  };

  const join = async (userId: string, deliver: (notification: Notification) => void) => {
    let inbox = inboxes.get(userId);
    if (!inbox) {
      let pending = opening.get(userId);
      if (!pending) {
        pending = open(userId).finally(() => opening.delete(userId));
        opening.set(userId, pending);
      }
      const opened = await pending;
      inbox = inboxes.get(userId) ?? opened;
      inboxes.set(userId, inbox);
    }
    inbox.followers.add(deliver);
    schedule();
    return inbox;
  };

  const leave = (userId: string, deliver: (notification: Notification) => void) => {
    const inbox = inboxes.get(userId);
    if (!inbox) return;
    inbox.followers.delete(deliver);
    if (inbox.followers.size === 0) inboxes.delete(userId);
    if (inboxes.size === 0 && timer) {
      clearTimeout(timer);
      timer = null;
    }
  };

  async function* follow(userId: string, signal?: AbortSignal): AsyncGenerator<Notification> {
    const queue: Notification[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    const end = () => {
      ended = true;
      wake?.();
    };
    const deliver = (notification: Notification) => {
      queue.push(notification);
      wake?.();
    };
    signal?.addEventListener("abort", end, { once: true });
    const lifetime = setTimeout(end, lifetimeMs);
    lifetime.unref();
    try {
      if (signal?.aborted) return;
      await join(userId, deliver);
      while (!ended) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      clearTimeout(lifetime);
      signal?.removeEventListener("abort", end);
      leave(userId, deliver);
    }
  }

  return {
    follow,
    get users() {
      return inboxes.size;
    },
  };
}
