import type { RelatedNotice } from '../mapping/relatedNotices.ts';

/**
 * A Find a Tender notice that Public Contracts Scotland sent on, by the SC Ref it quotes: what a PCS
 * notice of that SC Ref names as its twin (`relatedNotices`), whichever of the two is stored first
 * (docs/data-model.md, "Twins"). Insert-only, like the registry's keys, and kept in `buyerLinks`
 * beside them (`_id` = `twin:<SC Ref>`), so the write path reads and inserts twins with its links
 * and keys: no round trip of its own.
 */
export interface TwinMarkerDoc {
  _id: string;
  scRef: number;
  /** The notice's contract (`FIND_A_TENDER:075904-2026`). */
  contractId: string;
  /** The notice as its PCS twin names it. */
  notice: RelatedNotice;
}

export const twinMarkerId = (scRef: number): string => `twin:${scRef}`;

export const isTwinMarker = (doc: { _id: string }): boolean => doc._id.startsWith('twin:');
