import { describe, expect, it } from 'vitest';
import { releaseOrder } from '../../shared/mapping/releaseOrder.ts';
import { makeMappedRelease } from '../../test/factories.ts';
import { planWrites, type StoredLink } from './planWrites.ts';

const at = (day: number) => new Date(Date.UTC(2024, 0, day)).toISOString();
/** Release `counter` of notice `noticeId`, dated `day`, mapped by mapping version `mapping`. */
const release = (noticeId: string, day: number, buyerOrg = 'GB-A', { counter = 0, mapping = 2 } = {}) =>
  makeMappedRelease({ contract: { noticeId, releaseId: `${noticeId}-${counter}`, releaseDate: at(day), releaseOrder: releaseOrder(at(day), counter), mappingVersion: mapping, buyerOrg } });
/** A stored link at version `v`, pointing now at the last of `buyers`. */
const link = (day: number, v: number, buyers: string[], { counter = 0, mapping = 2 } = {}): StoredLink => ({ releaseOrder: releaseOrder(at(day), counter), mappingVersion: mapping, v, buyers, buyer: buyers.at(-1) });
const id = (noticeId: string) => `FIND_A_TENDER:${noticeId}`;
/** A joint notice: `lead` and its co-buyers in the contract's `buyers`. */
const joint = (noticeId: string, day: number, lead: string, coBuyers: string[]) => {
  const r = release(noticeId, day, lead);
  return { ...r, contract: { ...r.contract, buyers: [lead, ...coBuyers].map((orgId) => ({ orgId, name: orgId })) } };
};
const jointLink = (day: number, v: number, buyers: string[], buyer: string, coBuyers: string[]): StoredLink => ({ ...link(day, v, buyers), buyer, joint: coBuyers });

describe('planWrites', () => {
  it.each([
    { case: 'a notice without a link is fresh', releases: [release('n1', 5)], links: {}, fresh: ['n1-0@5'], newer: [], buyers: ['GB-A'] },
    { case: 'a newer release moves the link on from the version read', releases: [release('n1', 6, 'GB-B')], links: { n1: link(5, 3, ['GB-A']) }, fresh: [], newer: ['n1-0@6 from v3'], buyers: ['GB-A', 'GB-B'] },
    { case: 'the same release again changes nothing, but its buyers are counted again', releases: [release('n1', 5)], links: { n1: link(5, 2, ['GB-C', 'GB-A']) }, fresh: [], newer: [], buyers: ['GB-A', 'GB-C'] },
    { case: 'the same release, the registry now answering another buyer, moves the link', releases: [release('n1', 5, 'GB-B')], links: { n1: link(5, 2, ['GB-A']) }, fresh: [], newer: ['n1-0@5 from v2'], buyers: ['GB-A', 'GB-B'] },
    { case: 'the same release, its entry merged into another by this batch, stays for the hourly merge', releases: [release('n1', 5, 'GB-B')], links: { n1: link(5, 2, ['GB-A']) }, mergedAway: ['GB-A'], fresh: [], newer: [], buyers: ['GB-A', 'GB-B'] },
    { case: 'an older release arriving late changes nothing', releases: [release('n1', 4, 'GB-B')], links: { n1: link(5, 1, ['GB-A']) }, fresh: [], newer: [], buyers: ['GB-A', 'GB-B'] },
    { case: 'within a batch the newest release of a notice wins', releases: [release('n1', 7, 'GB-B'), release('n1', 9, 'GB-C'), release('n1', 8)], links: {}, fresh: ['n1-0@9'], newer: [], buyers: ['GB-C'] },
    { case: 'a release that names no buyer counts nobody new', releases: [{ ...release('n1', 6), contract: { ...release('n1', 6).contract, buyerOrg: undefined } }], links: { n1: link(5, 1, ['GB-A']) }, fresh: [], newer: ['n1-0@6 from v1'], buyers: ['GB-A'] },
    // CF: versions of one notice, told apart by their counter when the date does not.
    { case: 'the same instant, a higher counter moves on', releases: [release('n1', 5, 'GB-A', { counter: 8 })], links: { n1: link(5, 4, ['GB-A'], { counter: 7 }) }, fresh: [], newer: ['n1-8@5 from v4'], buyers: ['GB-A'] },
    { case: 'the same instant, a lower counter changes nothing', releases: [release('n1', 5, 'GB-B', { counter: 6 })], links: { n1: link(5, 4, ['GB-A'], { counter: 7 }) }, fresh: [], newer: [], buyers: ['GB-A', 'GB-B'] },
    { case: 'a later date wins over a higher counter', releases: [release('n1', 6, 'GB-A', { counter: 1 })], links: { n1: link(5, 2, ['GB-A'], { counter: 9 }) }, fresh: [], newer: ['n1-1@6 from v2'], buyers: ['GB-A'] },
    { case: 'within a batch, at one instant, the higher counter wins', releases: [release('n1', 5, 'GB-B', { counter: 8 }), release('n1', 5, 'GB-C', { counter: 7 })], links: {}, fresh: ['n1-8@5'], newer: [], buyers: ['GB-B'] },
    // Mapping version: a mapping fix reaches a release already stored.
    { case: 'the same release under a newer mapping is rewritten', releases: [release('n1', 5, 'GB-A', { mapping: 3 })], links: { n1: link(5, 2, ['GB-A'], { mapping: 2 }) }, fresh: [], newer: ['n1-0@5 from v2'], buyers: ['GB-A'] },
    { case: 'the same release under an older mapping changes nothing', releases: [release('n1', 5, 'GB-A', { mapping: 2 })], links: { n1: link(5, 2, ['GB-A'], { mapping: 3 }) }, fresh: [], newer: [], buyers: ['GB-A'] },
    { case: 'an older release under a newer mapping changes nothing', releases: [release('n1', 4, 'GB-A', { mapping: 3 })], links: { n1: link(5, 2, ['GB-A'], { mapping: 2 }) }, fresh: [], newer: [], buyers: ['GB-A'] },
    { case: 'a link stored before release order existed is superseded', releases: [release('n1', 4)], links: { n1: { v: 1, buyers: ['GB-A'] } as unknown as StoredLink }, fresh: [], newer: ['n1-0@4 from v1'], buyers: ['GB-A'] },
    // Joint procurements: the contract's `buyers` after the lead are its co-buyers (registry ids), counted like the lead.
    { case: 'a fresh joint notice counts its co-buyers', releases: [joint('n1', 5, 'GB-A', ['GB-B', 'GB-C'])], links: {}, fresh: ['n1-0@5'], newer: [], buyers: ['GB-A', 'GB-B', 'GB-C'] },
    { case: 'a newer release dropping a co-buyer counts the dropped one again (it goes down)', releases: [joint('n1', 6, 'GB-A', ['GB-C'])], links: { n1: jointLink(5, 2, ['GB-A', 'GB-B', 'GB-C'], 'GB-A', ['GB-B', 'GB-C']) }, fresh: [], newer: ['n1-0@6 from v2'], buyers: ['GB-A', 'GB-B', 'GB-C'] },
    { case: 'the same joint release again changes nothing', releases: [joint('n1', 5, 'GB-A', ['GB-C', 'GB-B'])], links: { n1: jointLink(5, 2, ['GB-A', 'GB-B', 'GB-C'], 'GB-A', ['GB-B', 'GB-C']) }, fresh: [], newer: [], buyers: ['GB-A', 'GB-B', 'GB-C'] },
    { case: 'the same joint release, the registry answering another entry for a co-buyer, moves the link', releases: [joint('n1', 5, 'GB-A', ['GB-D'])], links: { n1: jointLink(5, 2, ['GB-A', 'GB-B'], 'GB-A', ['GB-B']) }, fresh: [], newer: ['n1-0@5 from v2'], buyers: ['GB-A', 'GB-B', 'GB-D'] },
    { case: 'the same joint release, a co-buyer\'s entry merged away by this batch, stays for the hourly merge', releases: [joint('n1', 5, 'GB-A', ['GB-D'])], links: { n1: jointLink(5, 2, ['GB-A', 'GB-B'], 'GB-A', ['GB-B']) }, mergedAway: ['GB-B'], fresh: [], newer: [], buyers: ['GB-A', 'GB-B', 'GB-D'] },
  ])('$case', ({ releases, links, mergedAway, fresh, newer, buyers }) => {
    const plan = planWrites(releases, new Map(Object.entries(links).map(([n, l]) => [id(n), l])), new Set(mergedAway));
    const label = (r: (typeof releases)[number]) => `${r.contract.releaseId}@${new Date(r.contract.releaseDate).getUTCDate()}`;
    expect(plan.fresh.map(label)).toEqual(fresh);
    expect(plan.newer.map((n) => `${label(n.release)} from v${n.readVersion}`)).toEqual(newer);
    expect(plan.buyersToCount).toEqual(buyers);
  });
});
