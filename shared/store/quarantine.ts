import type { Db } from 'mongodb';
import type { SourceName } from '../sources/sourceName.ts';
import { COLLECTIONS } from './db.ts';
import { hashId } from './hashId.ts';
import { insertNew } from './insertNew.ts';

/** What could not be read or validated, kept with why, never dropped. */
export interface QuarantineItem {
  source: SourceName;
  windowId: string;
  pageUrl: string;
  reason: string;
  /** The release that failed validation, or the page text that could not be parsed. */
  release?: unknown;
  rawText?: string;
  /** Position of the release in its page, for a release. */
  index?: number;
}

/** MongoDB documents stop at 16 MB; a page body larger than this is kept cut, with its length. */
const RAW_TEXT_KEPT = 4_000_000;

/** Stores items under deterministic ids: the same item quarantined again (a refetch) is not stored twice. */
export async function quarantine(db: Db, items: readonly QuarantineItem[], now: Date): Promise<void> {
  const docs = items.map((item) => ({
    _id: hashId(`${item.windowId}|${item.pageUrl}|${item.index ?? 'page'}|${item.reason}`),
    ...item,
    ...(item.rawText !== undefined && { rawText: item.rawText.slice(0, RAW_TEXT_KEPT), rawLength: item.rawText.length }),
    createdAt: now,
  }));
  await insertNew(db.collection<(typeof docs)[number]>(COLLECTIONS.quarantine), docs);
}

/** How many items a window set aside, for its totals when it closes. */
export async function countQuarantined(db: Db, windowId: string): Promise<number> {
  return db.collection(COLLECTIONS.quarantine).countDocuments({ windowId });
}
