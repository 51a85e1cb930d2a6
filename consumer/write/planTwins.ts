import type { MappedContract } from '../../shared/mapping/mappedRelease.ts';
import { PCS_SOURCE, type RelatedNotice } from '../../shared/mapping/relatedNotices.ts';
import type { TwinLink } from '../../shared/store/contracts.ts';
import { twinMarkerId, type TwinMarkerDoc, type TwinSide } from '../../shared/store/twinMarkers.ts';

export interface TwinPlan {
  /** The batch's PCS notices that name their copy: their `relatedNotices`, the copy added. */
  relatedNotices: Map<string, RelatedNotice[]>;
  /** The batch's notices of a pair, for the other of the pair to find (insert-only: a stored one stays). */
  markers: TwinMarkerDoc[];
  /** Copies written now, to be named on their PCS notice stored before them. */
  links: TwinLink[];
}

/** The markers a batch reads: both sides of each SC Ref its notices carry. */
export function twinMarkersOf(contracts: readonly MappedContract[]): string[] {
  const scRefs = new Set(contracts.map((contract) => contract.scRef).filter((scRef) => scRef !== undefined));
  return [...scRefs].flatMap((scRef) => [twinMarkerId(scRef, 'pcs'), twinMarkerId(scRef, 'copy')]);
}

/**
 * Joins Public Contracts Scotland notices and the Find a Tender notices PCS sent on ("copies"), by the
 * SC Ref both carry (`scRef`), whichever is stored first. A copy names its PCS notice from its own
 * release already (mapping/relatedNotices.ts). A PCS notice names its copy: one stored before it
 * (`stored`: the markers read with the batch's links), else one of its batch; a copy written now
 * goes to its PCS notice stored before it (`links`, an update by `_id`). `written`: the contracts the
 * batch writes. Where two copies quote one SC Ref, the first stored is the one named. Pure.
 */
export function planTwins(written: readonly MappedContract[], stored: readonly TwinMarkerDoc[]): TwinPlan {
  const known = new Map(stored.map((marker) => [marker._id, marker]));
  const markers: TwinMarkerDoc[] = [];
  const sorted = [...written].filter((contract) => contract.scRef !== undefined).sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  for (const contract of sorted) {
    const _id = twinMarkerId(contract.scRef!, side(contract));
    if (known.has(_id)) continue;
    const marker = { _id, scRef: contract.scRef!, contractId: contract._id, notice: namedAs(contract) };
    known.set(_id, marker);
    markers.push(marker);
  }
  const relatedNotices = new Map<string, RelatedNotice[]>();
  const links: TwinLink[] = [];
  for (const contract of sorted) {
    const copy = known.get(twinMarkerId(contract.scRef!, 'copy'));
    if (contract.source === PCS_SOURCE && copy !== undefined) {
      const listed = contract.relatedNotices ?? [];
      if (!listed.some((notice) => notice.source === copy.notice.source && notice.noticeId === copy.notice.noticeId)) relatedNotices.set(contract._id, [...listed, copy.notice]);
    }
    // A copy goes to a PCS notice stored before the batch; one of the batch names it itself (above).
    const original = stored.find((marker) => marker._id === twinMarkerId(contract.scRef!, 'pcs'));
    if (contract.source !== PCS_SOURCE && copy?.contractId === contract._id && original !== undefined) links.push({ contractId: original.contractId, notice: copy.notice });
  }
  return { relatedNotices, markers, links };
}

/** A copy is every notice with an SC Ref that is not on PCS (Find a Tender's). */
const side = (contract: MappedContract): TwinSide => (contract.source === PCS_SOURCE ? 'pcs' : 'copy');

/** A notice as the other of its pair names it; always built in this shape, so naming it again changes nothing. */
const namedAs = ({ source, noticeId, sourceUrl }: MappedContract): RelatedNotice => ({ source, noticeId, url: sourceUrl });
