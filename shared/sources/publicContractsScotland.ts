import * as v from 'valibot';
import { cleanText } from '../mapping/text.ts';
import { day, positiveInt, url } from '../valibot/envFields.ts';
import { identifyPcsRelease, isDocumentOfNotice, pcsNoticeUrl } from './pcs/noticeIdentity.ts';
import { PCS_NOTICE_TYPES, pageContextOfType, pcsNoticeTypeNamed, SITE_NOTICE_TYPES } from './pcs/noticeTypes.ts';
import { scRefOf } from './pcs/pcsReferences.ts';
import { readPcsPackage } from './pcs/readPcsPackage.ts';
import { nextNoticeTypeUrl, noticeTypeAsked, pcsNoticesUrl, pcsProcurementUrl } from './pcs/slices.ts';
import { defaultRefusal, type SourceAdapter } from './source.ts';

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
  /** `false`: the source is not planned, asked or enqueued (its certificate chain: UPSTREAM.md); the status page shows it off. */
  PCS_ENABLED: v.optional(v.pipe(v.picklist(['true', 'false'], 'must be true or false'), v.transform((s) => s === 'true')), 'true'),
  PCS_API_URL: v.optional(url, 'https://api.publiccontractsscotland.gov.uk'),
  /** No published limit; other clients ask every 1–3 s. Six a minute, as for the other two. */
  PCS_REQUESTS_PER_MINUTE: v.optional(positiveInt, '6'),
  /** OCP's collector reads from 2019-01; the API once documented only a year back. */
  PCS_START_DATE: v.optional(day, '2019-01-01'),
  /** The site notices only PCS has; add EU forms (1–25) to read those too. */
  PCS_NOTICE_TYPES: v.optional(noticeTypeList, SITE_NOTICE_TYPES.join(',')),
  /**
   * Its reconciliation walk's requests an hour, in place of RECONCILE a minute (which still turns it
   * off): an answer is a whole month of a notice type, ~600 notices where the others' pages hold 100.
   * 12 an hour walk a pass (96 months × 4 types and 10 records a month, ~1,350 requests) in about
   * 5 days, as FTS's takes about 3 at 2 a minute, for ~2 M ms of CPU a month (docs/benchmark.md).
   */
  PCS_RECONCILE_PER_HOUR: v.optional(positiveInt, '12'),
  /** 403 (one client's for an unusual User-Agent) or 429: pause the source this long (5 minutes). */
  PCS_BLOCK_PAUSE_SECONDS: v.optional(positiveInt, '300'),
});
/** A month window is one slice, whatever its length or clock change (windows are whole UTC months). */
const LONGER_THAN_A_MONTH_MS = 32 * 24 * 3_600_000;

/**
 * Public Contracts Scotland (PCS). `/v1/Notices` lists one calendar month of one notice type, whole,
 * with no paging and no filter on the update date: a slice is a month (`wholeMonths`), its chain
 * one request per configured notice type (./pcs/slices.ts), and changes are seen by reading the
 * month again. Evidence for each rule: ./UPSTREAM.md.
 */
export const publicContractsScotland: SourceAdapter<'PUBLIC_CONTRACTS_SCOTLAND', typeof settings> = {
  name: 'PUBLIC_CONTRACTS_SCOTLAND',
  settings,
  maxSliceMs: LONGER_THAN_A_MONTH_MS,
  wholeMonths: true,
  enabled: (config) => config.PCS_ENABLED,
  startDate: (config) => config.PCS_START_DATE,
  requestsPerMinute: (config) => config.PCS_REQUESTS_PER_MINUTE,
  reconcilePerMinute: (config) => config.PCS_RECONCILE_PER_HOUR / 60,
  firstPageUrl: (config, slice) => pcsNoticesUrl(config.PCS_API_URL, { month: slice.from.toISOString().slice(0, 7), noticeType: config.PCS_NOTICE_TYPES[0] }),
  nextPageUrl: (config, url) => nextNoticeTypeUrl(config.PCS_API_URL, config.PCS_NOTICE_TYPES, url),
  readPackage(body) {
    const read = readPcsPackage(body);
    return read.ok ? { ...read, nextUrl: null } : read;
  },
  recordUrl: (config, ocid) => pcsProcurementUrl(config.PCS_API_URL, ocid),
  // The release does not say which notice type it was listed under; the request did: its name is
  // `contracts.noticeType`, and a Quick Quote award (104) published without an award block is AWARDED.
  pageContext: (url) => pageContextOfType(noticeTypeAsked(url)),
  // A contract mapped from such a page is named by its type: remap reads it back.
  copyContext: (copy) => pageContextOfType(pcsNoticeTypeNamed(copy.noticeType)),
  // Its servers leave out the intermediate certificate (UPSTREAM.md), so this is the likeliest TLS failure of the three.
  tlsRemedy:
    "Remedy (README, \"An upstream's certificate\"): PCS leaves out its intermediate certificate; add it (Sectigo's) to the account's Custom Origin Trust Store and deploy with the cots_on_external_fetch compatibility flag, or set PCS_ENABLED=false to copy the other two without it.",
  readRefusal(config, status) {
    if (status === 403 || status === 429) {
      return { kind: 'pause', pauseMs: config.PCS_BLOCK_PAUSE_SECONDS * 1000, reason: `PCS answered ${status}` };
    }
    return defaultRefusal(status);
  },
  identify: identifyPcsRelease,
  sourceUrl: pcsNoticeUrl,
  isNoticeDocument: (doc, release) => isDocumentOfNotice(doc, identifyPcsRelease(release.id).noticeId),
  // The notice's own document says what it is (`contractNotice`): all a procurement's record
  // (`/v1/Notice?id=`) gives; a list page names the finer type (`pageContext`), which mapping prefers.
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
