import { toIsoInstant } from '../ocds/isoInstant.ts';
import type { OcdsDocument, Release } from '../ocds/releaseSchema.ts';

/**
 * When this notice was published, as an ISO instant. First choice: the `datePublished` of the
 * notice's own document (`own`). In the real pages it is always there and always right, where the
 * alternatives are not: a CF `tenderAmendment` has the original `tender.datePublished` (release
 * `date` is the amendment's), and a CF award notice may carry the earlier tender's
 * `tender.datePublished` (66f22ef7…: tender 2022-08-19, award notice 2022-10-21). Then
 * `tender.datePublished`, the earliest `awards[].datePublished`, and the release date.
 */
export function publishedDateOf(release: Release, own: OcdsDocument | undefined): string {
  const fromOwn = toIsoInstant(own?.datePublished);
  if (fromOwn !== undefined) return fromOwn;
  const tender = toIsoInstant(release.tender?.datePublished);
  if (tender !== undefined) return tender;
  const awards = (release.awards ?? [])
    .map((award) => toIsoInstant(award.datePublished))
    .filter((date) => date !== undefined)
    .sort();
  // The schema guarantees a parseable release date.
  return awards[0] ?? toIsoInstant(release.date)!;
}
