/**
 * The version of what mapRelease produces, stored on every contract (`mappingVersion`). Bump it
 * whenever the mapping output changes (a field added, renamed or computed differently): a release
 * seen again is then rewritten over a document stored by an older mapping, and `npm run remap`
 * rebuilds every older document from its stored raw data.
 *   1: before notice identity; such documents carry no `mappingVersion` nor `releaseOrder`, and any
 *      release of their notice replaces them.
 *   2: `noticeId` is the notice, `releaseId` the release, `releaseOrder`.
 */
export const MAPPING_VERSION = 2;
