// Per-request batching for fields resolved once per item of a list (DataLoader): the items of a
// page are loaded with one query instead of one each.
import DataLoader from "dataloader";
import { NotFoundError } from "../errors";

const perRequest = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

/** The request's loader called `name`, created on first use with `batch`. */
export function loaderFor<K, V>(context: object, name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  let loaders = perRequest.get(context);
  if (!loaders) perRequest.set(context, (loaders = new Map()));
  let loader = loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch);
    loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/** A Pothos selection that also reads `id`, so that rows found by a batch can be matched to their keys. */
export function withId<Q extends { select?: object }>(query: Q): Q {
  return query.select ? { ...query, select: { ...query.select, id: true } } : query;
}

/** A batch for `loaderFor`: the rows of the keys, found by one query, in the keys' order (NotFound for a missing one). */
export function rowsById<T extends { id: string }>(entity: string, find: (ids: string[]) => Promise<T[]>) {
  return async (ids: readonly string[]): Promise<(T | Error)[]> => {
    const rows = new Map((await find([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? new NotFoundError(entity, id));
  };
}
