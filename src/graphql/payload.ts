// A mutation's payload, read again through the field's query once the service has committed: a
// service returns the row it wrote, without the selections nested fields need (a pact's citizens,
// a commitment's occurrence), and those fields failed after the change was made, so that a
// retry answered ALREADY_COMMITTED. Read this way, every nested field finds what it selects.
import type { Context } from "./context";
// With the id always selected: a payload asking only for __typename selects nothing, which Prisma refuses.
import { withId } from "./loaders";

type Delegate = { findUniqueOrThrow(args: object): Promise<unknown>; findMany(args: object): Promise<{ id: string }[]> };

const delegateOf = (context: Context, model: string) =>
  (context.prisma as unknown as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)]!;

/** The row written, as the field's query selects it. */
export async function reread<T extends { id: string }>(query: object, context: Context, model: string, row: T): Promise<T> {
  return (await delegateOf(context, model).findUniqueOrThrow({ ...withId(query), where: { id: row.id } })) as T;
}

/** The rows written, in their order, as the field's query selects them. */
export async function rereadMany<T extends { id: string }>(query: object, context: Context, model: string, rows: T[]): Promise<T[]> {
  const found = await delegateOf(context, model).findMany({ ...withId(query), where: { id: { in: rows.map((r) => r.id) } } });
  const byId = new Map(found.map((r) => [r.id, r]));
  return rows.map((r) => (byId.get(r.id) ?? r) as T);
}
