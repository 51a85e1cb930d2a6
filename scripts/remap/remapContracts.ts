import type { Db } from 'mongodb';
import { storeReleases } from '../../consumer/write/storeReleases.ts';
import type { Config } from '../../shared/config.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { MAPPING_VERSION } from '../../shared/mapping/mappingVersion.ts';
import { countOlderMapped, olderMappedContracts, readRemapState, saveRemapState, type RemapCounts, type RemapState } from '../../shared/store/remapState.ts';
import { rebuildContract } from './rebuildContract.ts';

export interface RemapProgress {
  /** Contracts of an older mapping read so far, of `total`. */
  done: number;
  total: number;
}

export interface RemapReport extends RemapCounts {
  mappingVersion: number;
  /** The contract `_id` a cut-off run had finished at, when this run continued it; null for a new pass. */
  resumedAfter: string | null;
}

/** Ids kept per kind in the report. */
const EXAMPLES = 10;

/**
 * Rebuilds every contract stored by an older mapping (mapping/mappingVersion.ts) from its raw data,
 * `chunkSize` contracts at a time in `_id` order, through the write consumer's own write path
 * (storeReleases: contracts, buyer links, buyers), so a newer release is never overwritten and
 * counts stay exact; no window part is recorded. After each chunk the position is saved
 * (remapState): a run cut off continues after the last chunk it finished, and a chunk done twice
 * changes nothing the second time. Contracts already at this mapping are not read, so a second run
 * rewrites nothing. What cannot be rebuilt (no raw data, or raw data that no longer maps) is counted,
 * left as it is and named in the report.
 */
export async function remapContracts(db: Db, config: Config, options: { chunkSize: number; onProgress?: (progress: RemapProgress) => void }): Promise<RemapReport> {
  const saved = await readRemapState(db);
  const resumed = saved !== null && !saved.done && saved.mappingVersion === MAPPING_VERSION ? saved : null;
  const state: RemapState = resumed ?? { _id: 'contracts', mappingVersion: MAPPING_VERSION, after: null, done: false, counts: emptyCounts(), startedAt: new Date(), updatedAt: new Date() };
  const { counts } = state;
  const resumedAfter = resumed === null ? null : state.after;
  const total = counts.examined + (await countOlderMapped(db, MAPPING_VERSION, state.after));
  options.onProgress?.({ done: counts.examined, total });

  for (;;) {
    const chunk = await olderMappedContracts(db, MAPPING_VERSION, state.after, options.chunkSize);
    if (chunk.length === 0) break;
    const mapped: MappedRelease[] = [];
    for (const doc of chunk) {
      const rebuilt = await rebuildContract(doc);
      if (!rebuilt.ok) {
        counts[rebuilt.kind]++;
        note(counts.examples[rebuilt.kind], rebuilt.kind === 'noRaw' ? doc._id : `${doc._id}: ${rebuilt.reason}`);
      } else {
        mapped.push(rebuilt.mapped);
        // A document keyed by an older notice identity (a CF release id): its release now lands on its notice's contract.
        if (rebuilt.mapped.contract._id !== doc._id) {
          counts.movedAway++;
          note(counts.examples.movedAway, `${doc._id} → ${rebuilt.mapped.contract._id}`);
        }
      }
    }
    const stored = await storeReleases(db, config, mapped, new Date());
    counts.examined += chunk.length;
    counts.rewritten += stored.updated;
    counts.inserted += stored.inserted;
    state.after = chunk[chunk.length - 1]._id;
    state.updatedAt = new Date();
    await saveRemapState(db, state);
    options.onProgress?.({ done: counts.examined, total });
  }
  state.done = true;
  state.updatedAt = new Date();
  await saveRemapState(db, state);
  return { mappingVersion: MAPPING_VERSION, resumedAfter, ...counts };
}

function emptyCounts(): RemapCounts {
  return { examined: 0, rewritten: 0, inserted: 0, noRaw: 0, failed: 0, movedAway: 0, examples: { noRaw: [], failed: [], movedAway: [] } };
}

function note(examples: string[], example: string): void {
  if (examples.length < EXAMPLES) examples.push(example);
}
