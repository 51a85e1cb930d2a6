/**
 * One upstream answer through the fetch consumer's path, as `sendAnswer` (consumer/fetch/sendAnswer.ts)
 * takes it, for the bench's memory and CPU probes: a whole-month source's answer cut into packages
 * of WHOLE_MONTH_CHUNK releases (shared/ocds/packageChunks.ts), each read, split into write parts
 * numbered on from the chunk before, each part serialized as the queue binding sends it, and dropped
 * before the next chunk is read; any other page read and split whole. Not done: the comparison
 * with the stored copies (a re-read's) and parking the releases too big for a part (both need MongoDB).
 */
import { buildWriteMessages } from '../../consumer/fetch/buildWriteMessages.ts';
import { readPage } from '../../consumer/fetch/readPage.ts';
import { answerChunks } from '../../consumer/fetch/sendAnswer.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { sources } from '../../shared/sources/sources.ts';
import type { BatchPage } from './batchPages.ts';

export interface AnswerRead {
  /** Packages read: 1 for a page read whole. */
  chunks: number;
  releases: number;
  /** Write parts of releases, serialized here (the part of parked releases' ids, one a chunk that has any, is numbered, not built). */
  parts: number;
  oversized: number;
  /** What a page read whole still holds (its releases and parts, kept until its checkpoint, as the probes always held them); a chunked answer keeps none. */
  kept: { mapped: MappedRelease[]; messages: WriteMessage[] } | null;
}

/**
 * Reads `bytes`, the answer to `page`, as the fetch consumer does. `atChunk` is awaited once each
 * chunk (or the whole page) is read and split, before it is dropped: the moment the window holds most.
 */
export async function readAnswer(page: BatchPage, bytes: ArrayBuffer, windowId: string, atChunk: () => void | Promise<void> = () => undefined): Promise<AnswerRead> {
  const source = sources[page.source];
  // As sendAnswer: null (too few releases, or not a package it can follow) is read whole.
  const chunks = answerChunks(source, bytes);
  const answer: AnswerRead = { chunks: 0, releases: 0, parts: 0, oversized: 0, kept: null };
  let firstPart = 0;
  for (const body of chunks ?? [bytes]) {
    // The request's URL too, as the fetch consumer hands it (PCS: the notice type, for mapping).
    const read = await readPage(source, body, 'object', { url: page.url });
    if (!read.ok) throw new Error(`${page.label}: ${read.reason}`);
    const parts = buildWriteMessages({ windowId, generation: 1, page: 0 }, read.mapped, undefined, firstPart);
    for (const message of parts.messages) JSON.stringify(message);
    await atChunk();
    answer.chunks++;
    answer.releases += read.mapped.length;
    answer.parts += parts.messages.length;
    // sendPage's numbering: the parts, then one part of the parked releases' ids if any.
    firstPart += parts.messages.length + (parts.oversized.length > 0 ? 1 : 0);
    answer.oversized += parts.oversized.length;
    if (chunks === null) answer.kept = { mapped: read.mapped, messages: parts.messages };
  }
  return answer;
}
