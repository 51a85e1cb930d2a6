import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../shared/store/db.ts';

/**
 * Insert, read back and delete one document in `syncJobs` (its `_id` `doctor:<random>`, a kind no
 * reader looks for): the user's role lets the Worker write where it works, not only read. The
 * delete runs whatever happened before it.
 */
export async function probeDocument(db: Db): Promise<{ ok: true; detail: string }> {
  const jobs = db.collection<{ _id: string; kind: 'doctor'; at: Date }>(COLLECTIONS.syncJobs);
  const _id = `doctor:${crypto.randomUUID()}`;
  await jobs.insertOne({ _id, kind: 'doctor', at: new Date() });
  try {
    if (!(await jobs.findOne({ _id }))) throw new Error(`the probe document ${_id} was inserted but not found when read back`);
  } finally {
    const { deletedCount } = await jobs.deleteOne({ _id });
    if (deletedCount !== 1) throw new Error(`the probe document ${_id} could not be deleted (deleted ${deletedCount})`);
  }
  return { ok: true, detail: `inserted, read back and deleted ${_id} in ${COLLECTIONS.syncJobs}` };
}
