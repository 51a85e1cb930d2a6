import type { ContractStatus } from '../../mapping/mappedRelease.ts';
import type { PageContext } from '../../mapping/pageContext.ts';

/**
 * The `noticeType` codes of Public Contracts Scotland's `/v1/Notices`, named as the API's own page
 * lists them (https://api.publiccontractsscotland.gov.uk; OCP's collector's comments swap 101 and
 * 102). A slice asks for one code; the release itself does not say which code it was listed
 * under, so the request's URL carries it to the mapping (pageContextOfType): the name is
 * `contracts.noticeType`, the status decides as docs/mapping.md says. Evidence: ../UPSTREAM.md,
 * "Public Contracts Scotland".
 */
export interface PcsNoticeType {
  name: string;
  /**
   * `site`: notices published on PCS only (below the thresholds, and Quick Quote awards);
   * `eu`: the old EU standard forms, which Find a Tender also carries when above threshold.
   */
  kind: 'site' | 'eu';
  /** Set only where the type itself decides the status; elsewhere the release's own statuses do. */
  status?: ContractStatus;
  /** Why the type decides, where it does. */
  why?: string;
}

export const PCS_NOTICE_TYPES: Readonly<Record<number, PcsNoticeType>> = {
  1: { name: 'OJEU - F1 - Prior Information Notice', kind: 'eu' },
  2: { name: 'OJEU - F2 - Contract Notice', kind: 'eu' },
  3: { name: 'OJEU - F3 - Contract Award Notice', kind: 'eu' },
  4: { name: 'OJEU - F4 - Prior Information Notice (Utilities)', kind: 'eu' },
  5: { name: 'OJEU - F5 - Contract Notice (Utilities)', kind: 'eu' },
  6: { name: 'OJEU - F6 - Contract Award Notice (Utilities)', kind: 'eu' },
  7: { name: 'OJEU - F7 - Qualification Systems (Utilities)', kind: 'eu' },
  12: { name: 'OJEU - F12 - Public design contest', kind: 'eu' },
  13: { name: 'OJEU - F13 - Results of Design Contest', kind: 'eu' },
  14: { name: 'OJEU - F14 - Corrigendum', kind: 'eu' },
  15: { name: 'OJEU - F15 - Voluntary Ex Ante Transparency Notice', kind: 'eu' },
  20: { name: 'OJEU - F20 - Modification Notice', kind: 'eu' },
  21: { name: 'OJEU - F21 - Social And other Specific Services (Public Contracts)', kind: 'eu' },
  22: { name: 'OJEU - F22 - Social and other specific services (Utilities)', kind: 'eu' },
  23: { name: 'OJEU - F23 - Social and other specific services (Concessions)', kind: 'eu' },
  24: { name: 'OJEU - F24 - Concession Notice', kind: 'eu' },
  25: { name: 'OJEU - F25 - Concession Award Notice', kind: 'eu' },
  101: { name: 'Site Notice - Website Prior Information Notice', kind: 'site' },
  102: { name: 'Site Notice - Website Contract Notice', kind: 'site' },
  103: { name: 'Site Notice - Website Contract Award Notice', kind: 'site' },
  104: {
    name: 'Site Notice - Quick Quote Award',
    kind: 'site',
    status: 'AWARDED',
    why: 'a Quick Quote request goes to chosen suppliers and is not advertised: its one public notice is the award (by its name; no 104 release is captured yet)',
  },
};

const codesOf = (kind: PcsNoticeType['kind']): number[] =>
  Object.entries(PCS_NOTICE_TYPES)
    .filter(([, type]) => type.kind === kind)
    .map(([code]) => Number(code));

/** The notices only PCS has: what the source reads by default. */
export const SITE_NOTICE_TYPES: readonly number[] = codesOf('site');
/** The EU forms: optional, since Find a Tender has the above-threshold ones. */
export const EU_FORM_TYPES: readonly number[] = codesOf('eu');

/**
 * What a page of one notice type tells the mapping of its releases (the adapter's `pageContext`):
 * the type's name as `contracts.noticeType`, and its status where the type decides; nothing for no
 * code (a procurement's record) or an unknown one.
 */
export function pageContextOfType(code: number | undefined): PageContext {
  if (code === undefined || !Object.hasOwn(PCS_NOTICE_TYPES, code)) return {};
  const { name, status } = PCS_NOTICE_TYPES[code]!;
  return status === undefined ? { noticeType: name } : { noticeType: name, status };
}

/** The code whose name a contract's `noticeType` is, or undefined for any other text (`contractNotice`). */
export function pcsNoticeTypeNamed(name: string | undefined): number | undefined {
  const found = Object.entries(PCS_NOTICE_TYPES).find(([, type]) => type.name === name);
  return found === undefined ? undefined : Number(found[0]);
}
