import * as v from 'valibot';
import { cleanText } from '../mapping/text.ts';
import { day, positiveInt, url } from '../valibot/envFields.ts';
import { identifyPcsRelease, isDocumentOfNotice, pcsNoticeUrl } from './pcs/noticeIdentity.ts';
import { PCS_NOTICE_TYPES, SITE_NOTICE_TYPES } from './pcs/noticeTypes.ts';
import { scRefOf } from './pcs/pcsReferences.ts';
import { pcsNoticesUrl, type PcsSlice } from './pcs/slices.ts';
import { defaultRefusal, type SourceAdapter, type SourceConfig } from './source.ts';

/** `PCS_NOTICE_TYPES`: comma-separated codes of ./pcs/noticeTypes.ts. */
const noticeTypeList = v.pipe(
  v.string(),
  v.transform((text) => text.split(',').map((part) => Number(part.trim()))),
  v.check(
    (codes) => codes.every((code) => Object.hasOwn(PCS_NOTICE_TYPES, code)),
    `expected comma-separated PCS notice types, of ${Object.keys(PCS_NOTICE_TYPES).join(', ')}`,
  ),
);

const settings = v.object({
  PCS_API_URL: v.optional(url, 'https://api.publiccontractsscotland.gov.uk'),
  /** No published limit; other clients ask every 1–3 s. Six a minute, as for the other two. */
  PCS_REQUESTS_PER_MINUTE: v.optional(positiveInt, '6'),
  /** OCP's collector reads from 2019-01; the API once documented only a year back. */
  PCS_START_DATE: v.optional(day, '2019-01-01'),
  /** The site notices only PCS has; add EU forms (1–25) to read those too. */
  PCS_NOTICE_TYPES: v.optional(noticeTypeList, SITE_NOTICE_TYPES.join(',')),
  /** 403 (one client's for an unusual User-Agent) or 429: pause the source this long (5 minutes). */
  PCS_BLOCK_PAUSE_SECONDS: v.optional(positiveInt, '300'),
});
type Config = SourceConfig<typeof settings>;

/**
 * Public Contracts Scotland (PCS): the adapter's pure parts, not yet in the registry (sources.ts).
 * A slice is a month × notice type (./pcs/slices.ts), not a time range, so `maxSliceMs` and
 * `firstPageUrl` give way to `noticeTypes` and `sliceUrl`. Evidence for each rule: ./UPSTREAM.md.
 */
export const publicContractsScotland: Omit<SourceAdapter<'PUBLIC_CONTRACTS_SCOTLAND', typeof settings>, 'maxSliceMs' | 'firstPageUrl'> & {
  noticeTypes(config: Config): readonly number[];
  sliceUrl(config: Config, slice: PcsSlice): string;
} = {
  name: 'PUBLIC_CONTRACTS_SCOTLAND',
  settings,
  startDate: (config) => config.PCS_START_DATE,
  requestsPerMinute: (config) => config.PCS_REQUESTS_PER_MINUTE,
  noticeTypes: (config) => config.PCS_NOTICE_TYPES,
  sliceUrl: (config, slice) => pcsNoticesUrl(config.PCS_API_URL, slice),
  readRefusal(config, status) {
    if (status === 403 || status === 429) {
      return { kind: 'pause', pauseMs: config.PCS_BLOCK_PAUSE_SECONDS * 1000, reason: `PCS answered ${status}` };
    }
    return defaultRefusal(status);
  },
  identify: identifyPcsRelease,
  sourceUrl: pcsNoticeUrl,
  isNoticeDocument: (doc, release) => isDocumentOfNotice(doc, identifyPcsRelease(release.id).noticeId),
  // The notice's own document says what it is (`contractNotice`); the slice's code is finer
  // (./pcs/noticeTypes.ts) but the release does not carry it.
  noticeType: (_release, own) => cleanText(own?.documentType),
  // `description` ends with the notice's own `(SC Ref:n)`: what its Find a Tender twin quotes.
  scRef: (release) => scRefOf(release.description),
  // Party ids are local to one answer (`org-1` is ng homes here, Fife Council there), and one name
  // is many organisations (schools, in every council): a buyer is its name within its postcode
  // district, which the captures give for every buyer and which stays the same on its FTS twins.
  buyerNameScope: 'postcodeDistrict',
  // "12:00 noon on 28 May 2019" in a capture's text is `2019-05-28T12:00:00Z` in its tender period.
  clock: 'ukWallClock',
};
