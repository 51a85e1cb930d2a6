import type { Release } from '../ocds/releaseSchema.ts';
import type { ContractStage, ContractStatus } from './mappedRelease.ts';
import { statusByNoticeType } from './noticeTypes.ts';

/**
 * Stage and status of a notice, from what the release itself says: its tags, `tender.status` and
 * its awards' statuses. The clock is never read (a passed deadline does not close a tender here):
 * the same release always maps to the same document.
 */

/**
 * Tag → stage. FTS tags are coarse (`["award","contract"]`); CF sends one of `tender`,
 * `tenderAmendment`, `award`, `awardUpdate`, `planning`. With several tags the latest stage wins.
 */
const STAGE_BY_TAG: Readonly<Record<string, ContractStage>> = {
  planning: 'PLANNING',
  planningUpdate: 'PLANNING',
  tender: 'TENDER',
  tenderAmendment: 'TENDER',
  tenderUpdate: 'TENDER',
  tenderCancellation: 'TENDER',
  award: 'AWARD',
  awardUpdate: 'AWARD',
  awardCancellation: 'AWARD',
  contract: 'AWARD',
  contractUpdate: 'AWARD',
  contractAmendment: 'AWARD',
  contractTermination: 'AWARD',
  implementation: 'AWARD',
  implementationUpdate: 'AWARD',
};

const STAGE_ORDER: readonly ContractStage[] = ['PLANNING', 'TENDER', 'AWARD'];

/** What the status rules look at. */
export interface StatusFacts {
  tags: ReadonlySet<string>;
  /** `tender.status`: planned, planning, active, complete, cancelled, unsuccessful, withdrawn. */
  tenderStatus: string | undefined;
  /** `awards[].status`: pending, active, cancelled, unsuccessful (undefined when not given). */
  awardStatuses: readonly (string | undefined)[];
  /** `contracts[].status`: active, terminated, cancelled (undefined when not given). */
  contractStatuses: readonly (string | undefined)[];
  stage: ContractStage;
  /** The Procurement Act notice type (UK1–UK17), when the notice has one. */
  noticeType?: string;
  /** The status the type of the page the release was listed on gives (pageContext.ts: PCS 104). */
  pageStatus?: ContractStatus;
}

const LIVE_AWARD = new Set([undefined, 'active', 'pending']);

/**
 * Status rules, first match wins.
 *
 * | # | when                                                                   | status               |
 * |---|------------------------------------------------------------------------|----------------------|
 * | 0 | a notice type that decides (noticeTypes.ts: UK5, UK11, UK12, UK14–16)   | the type's           |
 * | 1 | tender.status cancelled / withdrawn, or tag tenderCancellation         | CANCELLED            |
 * | 2 | contracts listed, all terminated, or tag contractTermination            | TERMINATED           |
 * | p | the page's type decides (PCS 104) and no awards are listed             | the page type's      |
 * | 3 | an award is active or pending (or has no status)                       | AWARDED              |
 * | 4 | tender.status complete / unsuccessful (and no live award)              | CLOSED               |
 * | 5 | tender.status active / planned / planning                              | OPEN                 |
 * | 6 | awards exist, all cancelled or unsuccessful                            | CLOSED               |
 * | 7 | award stage (by tag), no tender status, no awards listed               | AWARDED              |
 * | 8 | anything else                                                          | OPEN                 |
 */
type StatusRule = readonly [ContractStatus, (facts: StatusFacts) => boolean];

/** Rules 1–2: an ending the release states beats what its page's type says. */
const ENDING_RULES: readonly StatusRule[] = [
  ['CANCELLED', (f) => isOneOf(f.tenderStatus, 'cancelled', 'withdrawn') || f.tags.has('tenderCancellation')],
  ['TERMINATED', (f) => (f.contractStatuses.length > 0 && f.contractStatuses.every((status) => status === 'terminated')) || f.tags.has('contractTermination')],
];

/** Rules 3–8. */
const STATUS_RULES: readonly StatusRule[] = [
  ['AWARDED', (f) => f.awardStatuses.some((status) => LIVE_AWARD.has(status))],
  ['CLOSED', (f) => isOneOf(f.tenderStatus, 'complete', 'unsuccessful')],
  ['OPEN', (f) => isOneOf(f.tenderStatus, 'active', 'planned', 'planning')],
  ['CLOSED', (f) => f.awardStatuses.length > 0],
  ['AWARDED', (f) => f.stage === 'AWARD'],
  ['OPEN', () => true],
];

function isOneOf(value: string | undefined, ...options: string[]): boolean {
  return value !== undefined && options.includes(value);
}

export function stageOf(release: Release): ContractStage {
  const stages = (release.tag ?? [])
    .filter((tag) => Object.hasOwn(STAGE_BY_TAG, tag))
    .map((tag) => STAGE_BY_TAG[tag]!);
  if (stages.length > 0) return latestStage(stages);
  // No known tag: fall back on what the release holds.
  if ((release.awards ?? []).length > 0) return 'AWARD';
  return isOneOf(release.tender?.status ?? undefined, 'planned', 'planning') ? 'PLANNING' : 'TENDER';
}

export function statusOf(facts: StatusFacts): ContractStatus {
  return (
    statusByNoticeType(facts.noticeType) ??
    firstMatch(ENDING_RULES, facts) ??
    // Listed awards are more specific than the page's type: theirs decide (rules 3 and 6).
    (facts.awardStatuses.length === 0 ? facts.pageStatus : undefined) ??
    firstMatch(STATUS_RULES, facts)!
  );
}

const firstMatch = (rules: readonly StatusRule[], facts: StatusFacts): ContractStatus | undefined => rules.find(([, when]) => when(facts))?.[0];

/** Stage and status of a release, whose notice type (if any) its source's adapter read, and the status its page's type gives (if any). */
export function releaseStatus(release: Release, noticeType?: string, pageStatus?: ContractStatus): { status: ContractStatus; stage: ContractStage } {
  const stage = stageOf(release);
  const status = statusOf({
    tags: new Set(release.tag ?? []),
    tenderStatus: release.tender?.status ?? undefined,
    awardStatuses: (release.awards ?? []).map((award) => award.status ?? undefined),
    contractStatuses: (release.contracts ?? []).map((contract) => contract.status ?? undefined),
    stage,
    noticeType,
    pageStatus,
  });
  return { status, stage };
}

function latestStage(stages: readonly ContractStage[]): ContractStage {
  return stages.reduce((a, b) => (STAGE_ORDER.indexOf(b) > STAGE_ORDER.indexOf(a) ? b : a));
}
