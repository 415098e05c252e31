// Per-request batching for fields resolved once per item of a list (DataLoader): the items of a
// page are loaded with one query instead of one each.
import DataLoader from "dataloader";

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
