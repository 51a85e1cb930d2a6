/**
 * The version of what mapRelease produces, stored on every contract (`mappingVersion`). Bump it
 * whenever the mapping output changes (a field added, renamed or computed differently): a release
 * seen again is then rewritten over a document stored by an older mapping, and `npm run remap`
 * rebuilds every older document from its stored raw data.
 *   1: before notice identity; such documents carry no `mappingVersion` nor `releaseOrder`, and any
 *      release of their notice replaces them.
 *   2: `noticeId` is the notice, `releaseId` the release, `releaseOrder`.
 *   3: the live FTS stream as it is (issue 20): status by notice type (UK5 CLOSED, UK11 TERMINATED,
 *      UK15 OPEN …), `deadlineKind` and the expression-of-interest deadline, date-only deadlines at
 *      the end of the UK day, `final` and `amendment` values, `framework`, description fallbacks,
 *      lot currency defaults, every buyer party (`buyers`), `GB-FTS-` ids never a `buyerOrg`.
 *   4: Public Contracts Scotland twins (issue 25): `scRef` on the Find a Tender notices PCS sent on, their
 *      PCS original in `relatedNotices` (its SC Ref page), descriptions without the `(SC Ref:n)` tail.
 */
export const MAPPING_VERSION = 4;
