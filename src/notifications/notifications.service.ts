// The in-app inbox: notifications are written in the same transaction as what they report, with
// a key that makes every job that notifies idempotent; deliveries (email, webhooks) plug in
// behind an interface and are called after the commit.
import { requireViewer } from "../auth/access";
import type { NotificationKind, Prisma } from "../generated/prisma/client";
import type { Lang } from "../i18n";
import { renderNotification } from "../i18n/notifications";
import type { ServiceContext } from "../service-context";

type Tx = Prisma.TransactionClient;

export interface NotificationDraft {
  userId: string;
  kind: NotificationKind;
  params: Record<string, string | number>;
  /** Unique: the same key is never notified twice. */
  key: string;
}

/** Writes notifications, skipping keys already written; returns how many are new. */
export async function notify(tx: Tx, drafts: NotificationDraft[]): Promise<number> {
  if (drafts.length === 0) return 0;
  const { count } = await tx.notification.createMany({ data: drafts.map((d) => ({ ...d, params: d.params })), skipDuplicates: true });
  return count;
}

/** Users who coordinate a territory (and the administrators): told about what needs a person. */
export async function coordinatorsOf(tx: Tx, territoryId: string): Promise<string[]> {
  const users = await tx.user.findMany({ where: { OR: [{ role: "COORDINATOR", territoryId }, { role: "ADMIN" }] }, select: { id: true } });
  return users.map((u) => u.id);
}

export function rendered(notification: { kind: NotificationKind; params: unknown }, lang: Lang) {
  return renderNotification(notification.kind, (notification.params ?? {}) as Record<string, string | number>, lang);
}

export async function myNotifications(context: ServiceContext, options: { unreadOnly: boolean; first: number }) {
  const viewer = requireViewer(context);
  return context.prisma.notification.findMany({
    where: { userId: viewer.userId, ...(options.unreadOnly ? { readAt: null } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(1, options.first), 100),
  });
}

/** Marks the viewer's notifications read (others' ids are ignored); returns how many changed. */
export async function markNotificationsRead(context: ServiceContext, ids: string[]) {
  const viewer = requireViewer(context);
  const { count } = await context.prisma.notification.updateMany({
    where: { id: { in: ids }, userId: viewer.userId, readAt: null },
    data: { readAt: context.now() },
  });
  return count;
}
