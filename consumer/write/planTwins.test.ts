import { describe, expect, it } from 'vitest';
import type { MappedContract } from '../../shared/mapping/mappedRelease.ts';
import type { TwinMarkerDoc } from '../../shared/store/twinMarkers.ts';
import { planTwins, twinMarkersOf } from './planTwins.ts';

const PCS = 'PUBLIC_CONTRACTS_SCOTLAND';
const contract = (source: string, noticeId: string, scRef?: number): MappedContract =>
  ({ _id: `${source}:${noticeId}`, source, noticeId, sourceUrl: `https://example.test/${noticeId}`, ...(scRef !== undefined && { scRef }) }) as MappedContract;
const named = (source: string, noticeId: string) => ({ source, noticeId, url: `https://example.test/${noticeId}` });
const marker = (side: 'pcs' | 'copy', scRef: number, source: string, noticeId: string): TwinMarkerDoc => ({
  _id: `twin:${scRef}:${side}`,
  scRef,
  contractId: `${source}:${noticeId}`,
  notice: named(source, noticeId),
});
const copy = contract('FIND_A_TENDER', '076867-2026', 839457);
const pcs = contract(PCS, 'APR351853', 839457);

describe('planTwins', () => {
  it('reads both sides of each SC Ref the batch carries', () => {
    expect(twinMarkersOf([copy, pcs, contract('CONTRACTS_FINDER', 'abc')])).toEqual(['twin:839457:pcs', 'twin:839457:copy']);
  });

  it('a copy written after its PCS notice: its marker, and the update naming it on that notice', () => {
    expect(planTwins([copy], [marker('pcs', 839457, PCS, 'APR351853')])).toEqual({
      relatedNotices: new Map(),
      markers: [marker('copy', 839457, 'FIND_A_TENDER', '076867-2026')],
      links: [{ contractId: pcs._id, notice: named('FIND_A_TENDER', '076867-2026') }],
    });
  });

  it('a copy written first: its marker, nothing to update', () => {
    expect(planTwins([copy], [])).toEqual({ relatedNotices: new Map(), markers: [marker('copy', 839457, 'FIND_A_TENDER', '076867-2026')], links: [] });
  });

  it('a PCS notice names the copy stored before it, else one of its batch, and leaves its marker', () => {
    expect(planTwins([pcs], [marker('copy', 839457, 'FIND_A_TENDER', '076867-2026')])).toEqual({
      relatedNotices: new Map([[pcs._id, [named('FIND_A_TENDER', '076867-2026')]]]),
      markers: [marker('pcs', 839457, PCS, 'APR351853')],
      links: [],
    });
    expect(planTwins([copy, pcs], []).relatedNotices).toEqual(new Map([[pcs._id, [named('FIND_A_TENDER', '076867-2026')]]]));
    expect(planTwins([pcs], []).relatedNotices).toEqual(new Map());
  });

  it('two copies of one SC Ref: the one stored first is the copy, the other named nowhere', () => {
    const plan = planTwins([contract('FIND_A_TENDER', '099999-2026', 839457)], [marker('copy', 839457, 'FIND_A_TENDER', '076867-2026'), marker('pcs', 839457, PCS, 'APR351853')]);
    expect([plan.markers, plan.links]).toEqual([[], []]);
  });
});
