/** Listeners of what happens in this process (served requests; locally "sent" text messages), for benchmarks and tests. */

/**
 * The listeners named `name`: one set per process, even if this module is loaded twice (the
 * local gateway imports handler modules apart from a test's own imports).
 */
export function processObservers<T>(name: string): { observe(listener: (v: T) => void): () => void; tell(v: T): void } {
  const registry = globalThis as { [k: symbol]: Set<(v: T) => void> | undefined };
  const listeners = (registry[Symbol.for(`kehou.${name}`)] ??= new Set<(v: T) => void>());
  return {
    observe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tell: (v) => {
      for (const l of listeners) l(v);
    },
  };
}
