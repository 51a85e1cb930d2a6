import { MongoBulkWriteError, MongoServerError, type Collection, type Document } from 'mongodb';

const DUPLICATE_KEY = 11000;

/** A write refused only because a unique key was taken: by another writer at the same moment, in the write path. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) return [error.writeErrors].flat().every((e) => e.code === DUPLICATE_KEY);
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * Inserts documents unordered and returns the `_id`s that were already stored. Inserting is how
 * every store creates documents: it costs no scan on FerretDB (updates do), and, unlike an upsert's
 * `$setOnInsert` there, it keeps null values and empty arrays. Any error but a duplicate key throws.
 */
export async function insertNew<T extends Document & { _id: string }>(collection: Collection<T>, docs: readonly T[]): Promise<Set<string>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    const writeErrors =
      error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : error instanceof MongoServerError && error.code === DUPLICATE_KEY ? [{ code: DUPLICATE_KEY, index: 0, errmsg: error.message }] : null;
    if (!writeErrors) throw error;
    const other = writeErrors.find((e) => e.code !== DUPLICATE_KEY);
    if (other) throw new Error(`insert into ${collection.collectionName} failed: ${other.errmsg}`);
    return new Set(writeErrors.map((e) => docs[e.index]._id));
  }
}
