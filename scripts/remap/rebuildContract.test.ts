/**
 * A rebuild from raw data keeps what the page a release came from said of it: a real PCS capture
 * stored from a Quick Quote award page (104) is rebuilt AWARDED, as it was stored; one stored from a
 * procurement's record (no type) by its own blocks.
 */
import { describe, expect, it } from 'vitest';
import { pcsRelease, readPcsCaptures } from '../../test/fixtures/realPcs.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import { pageContextOfType } from '../../shared/sources/pcs/noticeTypes.ts';
import { publicContractsScotland } from '../../shared/sources/publicContractsScotland.ts';
import type { StoredRaw } from '../../shared/store/remapState.ts';
import { rebuildContract } from './rebuildContract.ts';

const release = pcsRelease(readPcsCaptures()[0].release);

async function storedFrom(noticeTypeCode: number | undefined) {
  const { contract } = await mapRelease(publicContractsScotland, release, { storeRaw: 'object', page: pageContextOfType(noticeTypeCode) });
  return contract;
}

/** The fields remap reads of a stored contract (remapState.ts's projection). */
const asStored = ({ _id, source, noticeType, rawData }: Awaited<ReturnType<typeof storedFrom>>): StoredRaw => ({ _id, source, noticeType, rawData, rawDataGz: undefined });

describe('rebuildContract, a PCS contract', () => {
  it('stored from a Quick Quote award page (104): rebuilt with its type and status', async () => {
    const stored = await storedFrom(104);
    expect(stored).toMatchObject({ status: 'AWARDED', noticeType: 'Site Notice - Quick Quote Award' });
    const rebuilt = await rebuildContract(asStored(stored));
    expect(rebuilt.ok && rebuilt.mapped.contract).toEqual(stored);
  });

  it("stored from a procurement's record (no type): rebuilt by its own blocks, as stored", async () => {
    const stored = await storedFrom(undefined);
    expect(stored).toMatchObject({ status: 'OPEN', noticeType: 'contractNotice' });
    const rebuilt = await rebuildContract(asStored(stored));
    expect(rebuilt.ok && rebuilt.mapped.contract).toEqual(stored);
  });
});
