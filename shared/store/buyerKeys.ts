import type { Db } from 'mongodb';
import { buyerLinksCollection, type BuyerLinkDoc } from './buyerLinks.ts';
import { chunks } from './chunks.ts';
import { isTwinMarker, type TwinMarkerDoc } from './twinMarkers.ts';

/**
 * The buyer registry's keys: one document per key (a scheme-qualified id such as `GB-LAE-DUR`, a
 * name slug orgId, or a normalised name `name-durham-county-council`) saying which registry entry
 * (`buyers._id`) it belongs to and which rule joined it. Insert-only in the write path: the first
 * writer to register a key decides (a unique `_id`), and a key never grows.
 *
 * They live in the `buyerLinks` collection (`_id` = `key:` + key; contract ids are `SOURCE:…`), so
 * the batch reads the notices' links and its buyers' keys in one query and inserts both in one
 * command: the registry costs the write path no round trip of its own. Procurement markers
 * (`rec:`, below) ride along the same way.
 */
export type JoinRule = 'new' | 'identifier' | 'name' | 'unmerged';

/** What the join decision needs of a stored key. */
export interface RegistryKey {
  registryId: string;
  /** The id schemes of the buyer that registered the key (a name does not join another id of these). */
  schemes: string[];
  /**
   * The postcode district of the buyer that registered the key (`g21`), when it gave a postcode: a
   * name joins a buyer known by name within its district only inside that district.
   */
  district?: string;
}

export interface BuyerKeyDoc extends RegistryKey {
  _id: string;
  key: string;
  rule: JoinRule;
  /** The buyer's name when the key was registered. */
  name: string;
  at: Date;
  /** Set by an unmerge: the entry the key was taken from. */
  unmergedFrom?: string;
  /** Set by a merge (producer/mergeBuyers.ts): the entry the key belonged to before it joined this one. */
  mergedFrom?: string;
}

export const keyDocId = (key: string): string => `key:${key}`;

const keysCollection = (db: Db) => db.collection<BuyerKeyDoc>(buyerLinksCollection(db).collectionName);

/**
 * A procurement's marker (`rec:` + its record id), inserted with the links and keys of the batch
 * that first writes its record, before the record: a procurement without one has no record, so the
 * write path reads records only for procurements with a marker, and a backfill's new procurements
 * cost no read at all (a read of records scans the collection on FerretDB). A record written
 * without its marker (by a version before markers) is found by its insert failing on its `_id`:
 * the batch is retried once, by then with the marker.
 */
export const recordMarkerId = (recordId: string): string => `rec:${recordId}`;

/**
 * What the write path needs to decide, from `buyerLinks`, in one query: the links of these
 * contracts, the stored keys among these, which of these procurements have a marker, and which
 * of these twin markers are stored (twinMarkers.ts).
 */
export async function readBatchIndex(
  db: Db,
  wanted: { contractIds: readonly string[]; keys: readonly string[]; recordIds: readonly string[]; twinMarkers?: readonly string[] },
): Promise<{ links: Map<string, BuyerLinkDoc>; keys: Map<string, RegistryKey>; recorded: Set<string>; twins: TwinMarkerDoc[] }> {
  const ids = [...new Set([...wanted.contractIds, ...wanted.keys.map(keyDocId), ...wanted.recordIds.map(recordMarkerId), ...(wanted.twinMarkers ?? [])])];
  if (ids.length === 0) return { links: new Map(), keys: new Map(), recorded: new Set(), twins: [] };
  // One reply for all: room for one more than can match, else the cursor stays open for a getMore round trip.
  const found = await buyerLinksCollection(db).find({ _id: { $in: ids } }, { batchSize: ids.length + 1 }).toArray();
  const isKey = (doc: { _id: string }) => doc._id.startsWith('key:');
  const isMarker = (doc: { _id: string }) => doc._id.startsWith('rec:');
  return {
    links: new Map(found.filter((doc) => !isKey(doc) && !isMarker(doc) && !isTwinMarker(doc)).map((link) => [link._id, link])),
    keys: new Map((found.filter(isKey) as unknown as BuyerKeyDoc[]).map(({ key, registryId, schemes, district }) => [key, { registryId, schemes, ...(district !== undefined && { district }) }])),
    recorded: new Set(found.filter(isMarker).map((doc) => doc._id.slice('rec:'.length))),
    twins: found.filter(isTwinMarker) as unknown as TwinMarkerDoc[],
  };
}

/** The stored keys of one registry entry, and those an unmerge took from it (by `_id` range: MongoDB reads keys only, not links). */
export async function readRegistryKeys(db: Db, registryId: string): Promise<BuyerKeyDoc[]> {
  return keysCollection(db).find({ _id: { $gte: 'key:', $lt: 'key;' }, $or: [{ registryId }, { unmergedFrom: registryId }] }).toArray();
}

/** What a moved key records: the admin's unmerge that took it, or the merge that brought it. */
export type KeyMove = { rule: 'unmerged'; unmergedFrom: string } | { rule: 'identifier' | 'name'; mergedFrom: string };

/** Points keys of `from` at another entry (an admin's unmerge, a merge), in commands of `chunkSize`. */
export async function moveKeys(db: Db, keys: readonly string[], from: string, to: string, move: KeyMove, chunkSize: number, now: Date): Promise<void> {
  for (const chunk of chunks(keys, chunkSize)) {
    await keysCollection(db).updateMany({ _id: { $in: chunk.map(keyDocId) }, registryId: from }, { $set: { registryId: to, ...move, at: now } });
  }
}
