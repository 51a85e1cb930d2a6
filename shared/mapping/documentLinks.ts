import type { Release } from '../ocds/releaseSchema.ts';
import { compact } from './compact.ts';
import { allDocuments } from './noticeDocument.ts';
import { cleanText, idText } from './text.ts';

export interface MappedDocument {
  url: string;
  id?: string;
  /** OCDS `documentType`: `tenderNotice`, `biddingDocuments`, … (CF links to buyers' portals have none). */
  type?: string;
  /** The document's title, else its description (CF labels links only there). */
  title?: string;
}

export interface Submission {
  /** OCDS codes (`electronicSubmission`, …). */
  submissionMethods?: string[];
  /** Where to submit a bid: `tender.submissionMethodDetails` when it is a web address (FTS). */
  submissionUrl?: string;
  /** `tender.submissionMethodDetails` when it is text, not an address. */
  submissionDetails?: string;
}

const isWebAddress = (text: string) => /^https?:\/\/\S+$/i.test(text);

/**
 * `documents`: every document of the release that has a web address (planning, tender, awards,
 * contracts, in that order), once per address. On CF the buyer's e-tendering portal, where bids
 * go, is one of these links.
 */
export function documentsOf(release: Release): MappedDocument[] {
  const seen = new Set<string>();
  return allDocuments(release).flatMap((doc) => {
    const url = cleanText(doc.url);
    if (url === undefined || seen.has(url)) return [];
    seen.add(url);
    return [
      {
        url,
        ...compact({
          id: idText(doc.id),
          type: cleanText(doc.documentType),
          title: cleanText(doc.title) ?? cleanText(doc.description),
        }),
      },
    ];
  });
}

/** How and where bids are submitted, from `tender.submissionMethod` and `submissionMethodDetails`. */
export function submissionOf(release: Release): Submission {
  const details = cleanText(release.tender?.submissionMethodDetails);
  return compact({
    submissionMethods: (release.tender?.submissionMethod ?? []).map(cleanText).filter((m) => m !== undefined),
    submissionUrl: details !== undefined && isWebAddress(details) ? details : undefined,
    submissionDetails: details !== undefined && !isWebAddress(details) ? details : undefined,
  });
}
