import type { MappedBuyer, MappedContract, MappedRelease } from '../shared/mapping/mappedRelease.ts';
import { MAPPING_VERSION } from '../shared/mapping/mappingVersion.ts';
import { releaseOrder } from '../shared/mapping/releaseOrder.ts';
import { buildWriteMessages, MAX_RELEASES_BYTES } from '../consumer/fetch/buildWriteMessages.ts';
import { chunks } from '../shared/store/chunks.ts';
import { fetchMessage, MESSAGE_VERSION, type FetchMessage, type WriteMessage } from '../shared/queue/messages.ts';

/** Test data: one factory per message type, overridable field by field. */
export function makeMappedRelease(overrides: { contract?: Partial<MappedContract>; buyer?: Partial<MappedBuyer> | null } = {}): MappedRelease {
  const noticeId = overrides.contract?.noticeId ?? `${Math.floor(Math.random() * 900_000 + 100_000)}-2024`;
  const source = overrides.contract?.source ?? 'FIND_A_TENDER';
  const releaseDate = overrides.contract?.releaseDate ?? '2024-03-01T10:00:00.000Z';
  const contract: MappedContract = {
    _id: `${source}:${noticeId}`,
    source,
    noticeId,
    releaseId: noticeId,
    ocid: `ocds-h6vhtk-${noticeId}`,
    sourceUrl: `https://www.find-tender.service.gov.uk/Notice/${noticeId}`,
    title: `Tender ${noticeId}`,
    status: 'OPEN',
    stage: 'TENDER',
    buyerName: 'Leeds City Council',
    buyerOrg: 'GB-PPON-LEEDS',
    cpvCodes: ['72000000'],
    sector: 'IT services',
    releaseDate,
    releaseOrder: releaseOrder(releaseDate, 0),
    mappingVersion: MAPPING_VERSION,
    ...overrides.contract,
  };
  const buyer: MappedBuyer | null =
    overrides.buyer === null ? null : { orgId: contract.buyerOrg ?? 'GB-PPON-LEEDS', name: contract.buyerName ?? 'Leeds City Council', region: 'Yorkshire and The Humber', contacts: [], ...overrides.buyer };
  return { contract, buyer };
}

export function makeWriteMessage(overrides: Partial<WriteMessage> = {}): WriteMessage {
  return { v: MESSAGE_VERSION, type: 'write', windowId: 'FIND_A_TENDER:2024-03', generation: 0, page: 0, part: 0, releases: [makeMappedRelease()], staged: [], ...overrides };
}

export function makeFetchMessage(overrides: Partial<FetchMessage> = {}): FetchMessage {
  return { ...fetchMessage('FIND_A_TENDER:2024-03', 1), ...overrides };
}

/**
 * Releases as the write consumer receives them: pages of `pageSize` split into messages the way the
 * fetch consumer splits them (at most `maxBytes` of releases each), then batches of `batchSize`
 * messages (the `write` queue's max_batch_size).
 */
export function makeWriteBatches(
  releases: readonly MappedRelease[],
  { windowId = 'FIND_A_TENDER:2024-03', pageSize = 100, maxBytes = MAX_RELEASES_BYTES, batchSize = 10 }: { windowId?: string; pageSize?: number; maxBytes?: number; batchSize?: number } = {},
): WriteMessage[][] {
  const messages = chunks(releases, pageSize).flatMap((page, index) => buildWriteMessages({ windowId, generation: 0, page: index }, page, maxBytes).messages);
  return chunks(messages, batchSize);
}
