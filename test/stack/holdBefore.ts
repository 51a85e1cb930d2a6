import type { Collection, Db, Document } from 'mongodb';

/**
 * The seam that orders two writers: the same database, but the first call of `method` on the
 * collection `name` waits for `until` before it goes to the server. A writer given this Db reads
 * everything it would, then stops just before that write while the other writer runs; the order of
 * the two is the test's, not the scheduler's. Every call reaches the real server. `reached` is
 * called when the writer arrives at the held call.
 */
export function holdBefore(db: Db, name: string, method: keyof Collection, until: Promise<unknown>, reached: () => void = () => {}): Db {
  let held = false;
  const collection = (real: Collection<Document>): Collection<Document> =>
    new Proxy(real, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          if (!held) {
            held = true;
            reached();
            await until;
          }
          return value.apply(target, args);
        };
      },
    });
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'collection') return Reflect.get(target, property, receiver);
      return (collectionName: string, options?: object) => {
        const real = target.collection(collectionName, options);
        return collectionName === name ? collection(real) : real;
      };
    },
  });
}
