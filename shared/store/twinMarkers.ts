import type { RelatedNotice } from '../mapping/relatedNotices.ts';

/**
 * A notice of a twin pair, by the SC Ref both carry: a Public Contracts Scotland notice, or the Find a
 * Tender notice PCS sent on (docs/data-model.md, "Twins"). What the other of the pair needs to name
 * it (`relatedNotices`) whichever is stored first. Insert-only, like the registry's keys, and kept
 * in `buyerLinks` beside them (`_id` = `twin:<SC Ref>:<side>`), so the write path reads and
 * inserts them with its links and keys: no round trip of its own.
 */
export interface TwinMarkerDoc {
  _id: string;
  scRef: number;
  /** The notice's contract (`FIND_A_TENDER:075904-2026`). */
  contractId: string;
  /** The notice as the other of the pair names it. */
  notice: RelatedNotice;
}

/** Which of a pair: the PCS notice, or the copy another service made of it. */
export type TwinSide = 'pcs' | 'copy';

export const twinMarkerId = (scRef: number, side: TwinSide): string => `twin:${scRef}:${side}`;

export const isTwinMarker = (doc: { _id: string }): boolean => doc._id.startsWith('twin:');
