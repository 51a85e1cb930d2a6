import { describe, expect, it } from 'vitest';
import { makeMappedRelease } from '../../test/factories.ts';
import { planWrites, type StoredLink } from './planWrites.ts';

const at = (day: number) => new Date(Date.UTC(2024, 0, day)).toISOString();
const release = (noticeId: string, day: number, buyerOrg = 'GB-A') => makeMappedRelease({ contract: { noticeId, releaseDate: at(day), buyerOrg } });
const link = (day: number, v: number, buyers: string[]): StoredLink => ({ releaseDate: new Date(at(day)), v, buyers });
const id = (noticeId: string) => `FIND_A_TENDER:${noticeId}`;

describe('planWrites', () => {
  it.each([
    { case: 'a notice without a link is fresh', releases: [release('n1', 5)], links: {}, fresh: ['n1@5'], newer: [], buyers: ['GB-A'] },
    { case: 'a newer release moves the link on from the version read', releases: [release('n1', 6, 'GB-B')], links: { n1: link(5, 3, ['GB-A']) }, fresh: [], newer: ['n1@6 from v3'], buyers: ['GB-A', 'GB-B'] },
    { case: 'the same release again changes nothing, but its buyers are counted again', releases: [release('n1', 5)], links: { n1: link(5, 2, ['GB-C', 'GB-A']) }, fresh: [], newer: [], buyers: ['GB-A', 'GB-C'] },
    { case: 'an older release arriving late changes nothing', releases: [release('n1', 4, 'GB-B')], links: { n1: link(5, 1, ['GB-A']) }, fresh: [], newer: [], buyers: ['GB-A', 'GB-B'] },
    { case: 'within a batch the newest release of a notice wins', releases: [release('n1', 7, 'GB-B'), release('n1', 9, 'GB-C'), release('n1', 8)], links: {}, fresh: ['n1@9'], newer: [], buyers: ['GB-C'] },
    { case: 'a release that names no buyer counts nobody new', releases: [{ ...release('n1', 6), contract: { ...release('n1', 6).contract, buyerOrg: undefined } }], links: { n1: link(5, 1, ['GB-A']) }, fresh: [], newer: ['n1@6 from v1'], buyers: ['GB-A'] },
  ])('$case', ({ releases, links, fresh, newer, buyers }) => {
    const plan = planWrites(releases, new Map(Object.entries(links).map(([n, l]) => [id(n), l])));
    const label = (r: (typeof releases)[number]) => `${r.contract.noticeId}@${new Date(r.contract.releaseDate).getUTCDate()}`;
    expect(plan.fresh.map(label)).toEqual(fresh);
    expect(plan.newer.map((n) => `${label(n.release)} from v${n.readVersion}`)).toEqual(newer);
    expect(plan.buyersToCount).toEqual(buyers);
  });
});
