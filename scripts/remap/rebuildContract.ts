import { Binary } from 'mongodb';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { gunzipText, type StoreRaw } from '../../shared/mapping/rawData.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import type { SourceAdapter } from '../../shared/sources/source.ts';
import { sources } from '../../shared/sources/sources.ts';
import type { StoredRaw } from '../../shared/store/remapState.ts';

export type Rebuilt =
  | { ok: true; mapped: MappedRelease }
  /** `noRaw`: stored with STORE_RAW=off, only a refetch can rebuild it; `failed`: its raw data no longer maps (reason). */
  | { ok: false; kind: 'noRaw' | 'failed'; reason: string };

/**
 * A stored contract mapped again, by today's mapping, from the release it keeps (`rawData` or
 * `rawDataGz`), its raw data kept in the same form. Nothing is guessed: a release that no longer
 * validates or maps is reported with the reason and its document left as it is.
 */
export async function rebuildContract(doc: StoredRaw): Promise<Rebuilt> {
  const raw = await storedRelease(doc);
  if (raw === null) return { ok: false, kind: 'noRaw', reason: 'no raw data stored (STORE_RAW=off when it was written)' };
  if (!Object.hasOwn(sources, doc.source)) return { ok: false, kind: 'failed', reason: `unknown source ${doc.source}` };
  const parsed = parseRelease(raw.release);
  if (!parsed.ok) return { ok: false, kind: 'failed', reason: `invalid release: ${parsed.reason}` };
  const source: SourceAdapter = sources[doc.source as keyof typeof sources];
  try {
    // Raw data keeps the release, not the page it came from: what that page said, the copy tells.
    return { ok: true, mapped: await mapRelease(source, parsed.release, { storeRaw: raw.storeRaw, published: raw.release, page: source.copyContext?.(doc) }) };
  } catch (error) {
    return { ok: false, kind: 'failed', reason: `mapping failed: ${(error as Error).message}` };
  }
}

async function storedRelease(doc: StoredRaw): Promise<{ release: unknown; storeRaw: StoreRaw } | null> {
  if (doc.rawData !== undefined) return { release: doc.rawData, storeRaw: 'object' };
  if (doc.rawDataGz instanceof Binary) return { release: JSON.parse(await gunzipText(doc.rawDataGz.buffer)), storeRaw: 'gzip' };
  return null;
}
