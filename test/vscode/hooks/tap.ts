// Test code reaching into the product, never shipped: replaces one method of a product object with one
// that calls the original and reports each call (its arguments and what it returned) to the hooks.

type Method = (...args: never[]) => unknown;
type MethodKeys<T> = { [K in keyof T]: T[K] extends Method ? K : never }[keyof T];

/** Calls `spy` after each call of `target[key]` (a method), with the call's arguments and its result. */
export function tapMethod<T extends object, K extends MethodKeys<T>>(
  target: T, key: K,
  spy: (args: Parameters<Extract<T[K], Method>>, result: ReturnType<Extract<T[K], Method>>) => void,
): void {
  const original = (target[key] as Method).bind(target) as (...a: unknown[]) => unknown;
  const tapped = (...args: unknown[]): unknown => {
    const result = original(...args);
    spy(args as Parameters<Extract<T[K], Method>>, result as ReturnType<Extract<T[K], Method>>);
    return result;
  };
  (target as Record<K, unknown>)[key] = tapped;
}

/** Keeps at most `limit` entries, dropping the oldest. */
export function pushBounded<E>(list: E[], entry: E, limit: number): void {
  list.push(entry);
  if (list.length > limit) list.splice(0, list.length - limit);
}
