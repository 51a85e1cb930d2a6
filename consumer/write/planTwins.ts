import type { MappedContract } from '../../shared/mapping/mappedRelease.ts';
import { PCS_SOURCE, type RelatedNotice } from '../../shared/mapping/relatedNotices.ts';
import type { TwinLink } from '../../shared/store/contracts.ts';
import { twinMarkerId, type TwinMarkerDoc } from '../../shared/store/twinMarkers.ts';

export interface TwinPlan {
  /** The batch's PCS contracts that name a twin: their `relatedNotices`, the twin added. */
  relatedNotices: Map<string, RelatedNotice[]>;
  /** The batch's twins, for PCS notices stored later to find (insert-only: a stored one stays). */
  markers: TwinMarkerDoc[];
  /** Each twin written, to be named on the stored PCS notices of its SC Ref. */
  links: TwinLink[];
}

/**
 * Joins Public Contracts Scotland notices and the Find a Tender notices PCS sent on ("twins"), by the
 * SC Ref both carry (`scRef`), whichever is stored first. A twin names its PCS notice from its own
 * release already (mapping/relatedNotices.ts). A PCS notice names its twin: a twin stored before it
 * (`stored`, the markers read with the batch's links), else one in the batch; a twin written now
 * also goes to the PCS notices of its SC Ref stored before it (`links`). `written`: the contracts
 * the batch writes. Where two twins quote one SC Ref, the first stored is the one named. Pure.
 */
export function planTwins(written: readonly MappedContract[], stored: ReadonlyMap<number, TwinMarkerDoc>): TwinPlan {
  const twins = written
    .filter((contract) => contract.source !== PCS_SOURCE && contract.scRef !== undefined)
    .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  const markers = new Map<number, TwinMarkerDoc>();
  for (const twin of twins) {
    const scRef = twin.scRef!;
    if (!stored.has(scRef) && !markers.has(scRef)) markers.set(scRef, { _id: twinMarkerId(scRef), scRef, contractId: twin._id, notice: twinNotice(twin) });
  }
  const relatedNotices = new Map<string, RelatedNotice[]>();
  for (const pcs of written.filter((contract) => contract.source === PCS_SOURCE && contract.scRef !== undefined)) {
    const twin = stored.get(pcs.scRef!) ?? markers.get(pcs.scRef!);
    const listed = pcs.relatedNotices ?? [];
    if (twin && !listed.some((notice) => notice.source === twin.notice.source && notice.noticeId === twin.notice.noticeId)) relatedNotices.set(pcs._id, [...listed, twin.notice]);
  }
  const named = (twin: MappedContract) => (stored.get(twin.scRef!) ?? markers.get(twin.scRef!))!.contractId === twin._id;
  const links = twins.filter(named).map((twin) => ({ scRef: twin.scRef!, notice: twinNotice(twin) }));
  return { relatedNotices, markers: [...markers.values()], links };
}

/** A twin as its PCS notice names it; always built in this shape, so naming it again changes nothing. */
const twinNotice = ({ source, noticeId, sourceUrl }: MappedContract): RelatedNotice => ({ source, noticeId, url: sourceUrl });
