/**
 * A zod schema built on first use (start-up time budget, issue 12): building the schemas of every
 * event family, task and orchestration state at module load was a fifth of a short command's CPU,
 * though most commands use few of them. `lazySchema(() => z.object(…))` returns a stand-in that
 * builds the schema the first time anything reads it and forwards every access to it, so call sites
 * (`X.parse`, `X.shape`, `X.extend`, `z.infer<typeof X>`, `z.array(X)`) stay as they are and
 * validation and its messages do not change. zod's methods are closures over the real schema.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let real: T | undefined;
  const get = (): T => (real ??= build());
  return new Proxy({} as T, {
    get: (_t, key) => {
      const r = get();
      return Reflect.get(r, key, r) as unknown;
    },
    set: (_t, key, value) => Reflect.set(get(), key, value),
    has: (_t, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      // The stand-in's own target has no properties, so every one it reports must be configurable.
      return d === undefined ? undefined : { ...d, configurable: true };
    },
    defineProperty: (_t, key, d) => Reflect.defineProperty(get(), key, d),
    deleteProperty: (_t, key) => Reflect.deleteProperty(get(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
  });
}
