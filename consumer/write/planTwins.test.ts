import { describe, expect, it } from 'vitest';
import type { MappedContract } from '../../shared/mapping/mappedRelease.ts';
import { planTwins } from './planTwins.ts';

const contract = (source: string, noticeId: string, scRef?: number): MappedContract =>
  ({ _id: `${source}:${noticeId}`, source, noticeId, sourceUrl: `https://example.test/${noticeId}`, ...(scRef !== undefined && { scRef }) }) as MappedContract;
const named = (noticeId: string) => ({ source: 'FIND_A_TENDER', noticeId, url: `https://example.test/${noticeId}` });
const stored = (scRef: number, noticeId: string) => new Map([[scRef, { _id: `twin:${scRef}`, scRef, contractId: `FIND_A_TENDER:${noticeId}`, notice: named(noticeId) }]]);

describe('planTwins', () => {
  it('a twin written: its marker, and its name for the stored PCS notices of its SC Ref', () => {
    expect(planTwins([contract('FIND_A_TENDER', '076867-2026', 839457)], new Map())).toEqual({
      relatedNotices: new Map(),
      markers: [{ _id: 'twin:839457', scRef: 839457, contractId: 'FIND_A_TENDER:076867-2026', notice: named('076867-2026') }],
      links: [{ scRef: 839457, notice: named('076867-2026') }],
    });
  });

  it('a PCS notice names the twin stored before it, else one of its batch', () => {
    const pcs = contract('PUBLIC_CONTRACTS_SCOTLAND', 'APR351853', 839457);
    expect(planTwins([pcs], stored(839457, '076867-2026')).relatedNotices).toEqual(new Map([[pcs._id, [named('076867-2026')]]]));
    expect(planTwins([pcs, contract('FIND_A_TENDER', '076867-2026', 839457)], new Map()).relatedNotices).toEqual(new Map([[pcs._id, [named('076867-2026')]]]));
    expect(planTwins([pcs], new Map()).relatedNotices).toEqual(new Map());
  });

  it('two twins of one SC Ref: the one stored first is the twin, the other is named nowhere', () => {
    const plan = planTwins([contract('FIND_A_TENDER', '099999-2026', 839457)], stored(839457, '076867-2026'));
    expect([plan.markers, plan.links]).toEqual([[], []]);
  });

  it('notices without an SC Ref, and other sources\' PCS-less notices, are no twins', () => {
    expect(planTwins([contract('FIND_A_TENDER', '000001-2026'), contract('CONTRACTS_FINDER', 'abc')], new Map())).toEqual({ relatedNotices: new Map(), markers: [], links: [] });
  });
});
