/**
 * The Find a Tender notices Public Contracts Scotland sends on: a few simulated PCS notices get a
 * simulated FTS copy, as above-threshold ones do (UPSTREAM.md, "Public Contracts Scotland"). Each
 * copy is derived from a real copy in test/fixtures/real/ of the same kind and says what the real
 * ones say of their original: the PCS `description`, ending with its `(SC Ref:n)`, and the PCS
 * procurement as `links[rel=canonical]` (shared/sources/pcs/pcsReferences.ts). It carries the PCS
 * buyer (name, address) under a Find a Tender record number, as the real ones do.
 */
import { pcsOcidLinkedBy, scRefOf } from '../../shared/sources/pcs/pcsReferences.ts';
import { deriveRelease, drawAmount, makeTemplate, type Identity, type IdSource, type Template } from './derivedRelease.ts';
import { realReleaseTexts, type Release } from './fixtures.ts';
import { fnv1a, intBetween, pick, type Random } from './random.ts';
import type { PcsRelease } from './pcsReleases.ts';
import { CPV_CODES } from './vocabulary.ts';

/** How often a PCS notice of a kind Find a Tender publishes is sent on (Quick Quotes, 104, never are). */
const COPY_SHARE = 0.3;
/** The FTS tag of a copy of each PCS notice type sent on. */
const COPY_TAG: Record<number, string> = { 101: 'planning', 102: 'tender', 103: 'award' };

let templates: Map<string, Template[]> | undefined;

/** The real FTS copies of PCS notices, first-published ones only (no `prev` link), by tag. */
function templatesByTag(): Map<string, Template[]> {
  if (templates) return templates;
  templates = new Map();
  for (const text of realReleaseTexts('FIND_A_TENDER')) {
    const release = JSON.parse(text) as Release;
    const links = release.links as { rel?: string }[] | undefined;
    if (pcsOcidLinkedBy(links) === undefined || scRefOf(release.description) === undefined || links!.length !== 1) continue;
    const template = makeTemplate(release, text);
    if (template.nonFinite) continue;
    const tag = (release.tag as string[])[0];
    templates.set(tag, [...(templates.get(tag) ?? []), template]);
  }
  return templates;
}

/**
 * The FTS copies of `pcs` notices published before `to`, a few hours after their originals, in
 * their originals' order; `ids` gives ids no other FTS release of the data set has.
 */
export function ftsCopiesOfPcs(pcs: readonly PcsRelease[], to: Date, ids: IdSource, random: Random): FtsCopy[] {
  const copies: FtsCopy[] = [];
  for (const original of pcs) {
    const tag = COPY_TAG[original.noticeType];
    if (tag === undefined || random() >= COPY_SHARE) continue;
    const date = new Date(original.date.getTime() + intBetween(random, 8 * 3_600, 18 * 3_600) * 1000);
    if (date >= to) continue;
    copies.push(ftsCopyOf(original, date, ids, random));
  }
  return copies;
}

/** The FTS copy of a PCS notice of a type Find a Tender publishes (101–103), published at `date`. */
export function ftsCopyOf(original: Pick<PcsRelease, 'release' | 'noticeType'>, date: Date, ids: IdSource, random: Random): FtsCopy {
  const template = pick(random, templatesByTag().get(COPY_TAG[original.noticeType])!);
  const pcs = original.release as { ocid: string; description: string; buyer?: { id?: string }; parties: PcsParty[]; tender: { title: string } };
  const party = pcs.parties.find((p) => p.id === pcs.buyer?.id) ?? pcs.parties.find((p) => p.roles?.includes('buyer'))!;
  const record = 1_000 + (fnv1a(`${party.name}@${party.address?.postalCode}`) % 200_000);
  const ocid = ids.ocid();
  const who: Identity = { ...ids.release(ocid, date), date, winter: 'Z' };
  const buyer = { id: `GB-FTS-${record}`, name: party.name, scheme: 'GB-FTS', localId: String(record) };
  const release = deriveRelease(template, who, { ocid, buyer, cpvs: [pick(random, CPV_CODES)], title: pcs.tender.title, amount: drawAmount(random) }, random);
  const ftsParty = (release.parties as PcsParty[]).find((p) => p.id === buyer.id)!;
  Object.assign(ftsParty, { address: party.address, contactPoint: party.contactPoint });
  release.description = pcs.description;
  release.links = [{ rel: 'canonical', href: `https://api.publiccontractsscotland.gov.uk/v1/Notice?id=${pcs.ocid}` }];
  return { id: who.id, notice: who.id, date, release };
}

/** A release as dataset.ts's `SimRelease` holds it (not imported: dataset.ts imports this file). */
export interface FtsCopy {
  id: string;
  notice: string;
  date: Date;
  release: Record<string, unknown>;
}

interface PcsParty {
  id: string;
  name: string;
  roles?: string[];
  address?: { postalCode?: string };
  contactPoint?: unknown;
}
