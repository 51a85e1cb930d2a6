import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { packageChunks } from '../../shared/ocds/packageChunks.ts';
import { decodeBody } from '../../shared/ocds/repairBody.ts';
import { queueBinding } from '../../shared/queue/queues.ts';
import type { SourceAdapter } from '../../shared/sources/source.ts';
import { sources } from '../../shared/sources/sources.ts';
import { quarantine } from '../../shared/store/quarantine.ts';
import { stageReleases } from '../../shared/store/stagedReleases.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { buildWriteMessages, stagedPartMessage } from './buildWriteMessages.ts';
import { differencesToWrite } from './differencesToWrite.ts';
import { readPage } from './readPage.ts';

export type SentAnswer =
  | { ok: false; reason: string; rawText: string }
  | {
      ok: true;
      releaseCount: number;
      nextUrl: string | null;
      /** The oldest release mapped, alone: what the checkpoint reads of a page's releases (pageOutcome.ts). */
      mapped: MappedRelease[];
      /** Write parts sent for the page. */
      parts: number;
    };

/** Releases a whole-month answer is read by at a time: a page of the other sources. */
export const WHOLE_MONTH_CHUNK = 100;

/**
 * One answer of the window's chain, read and its writes sent: mapped, what is invalid quarantined
 * (with its reason and its index in the answer), compared with the copy where `compared`
 * (differencesToWrite.ts), and what is to be written sent as the page's parts. A whole-month
 * answer goes a chunk of releases at a time (shared/ocds/packageChunks.ts), so only one chunk's
 * releases are held at once; its parts are numbered on across chunks. Unreadable, nothing more is
 * sent: the caller asks again, then quarantines the body (a chunk that cannot be read after
 * others were sent leaves their parts stored, the same releases a good answer would write).
 */
export async function sendAnswer(env: Env, config: Config, db: Db, window: WindowDoc, url: string, bytes: ArrayBuffer, compared: boolean): Promise<SentAnswer> {
  const source = sources[window.source];
  const chunks = answerChunks(source, bytes);
  const answer = { ok: true as const, releaseCount: 0, nextUrl: null as string | null, mapped: [] as MappedRelease[], parts: 0 };
  for (const body of chunks ?? [bytes]) {
    const page = await readPage(source, body, config.STORE_RAW, { url });
    if (!page.ok) return chunks ? { ...page, rawText: decodeBody(bytes) } : page;
    const before = answer.releaseCount;
    await quarantine(
      db,
      page.rejected.map((r) => ({ source: window.source, windowId: window._id, pageUrl: url, reason: r.reason, release: r.release, index: before + r.index })),
      new Date(),
    );
    const releases = compared ? await differencesToWrite(db, window, page.mapped, new Date()) : page.mapped;
    answer.parts += await sendPage(env, db, window, window.checkpoint.pages, releases, answer.parts);
    answer.releaseCount += page.releaseCount;
    answer.nextUrl = page.nextUrl;
    answer.mapped = oldestOf([...answer.mapped, ...page.mapped]);
  }
  return answer;
}

/** A whole-month answer's chunks, made as they are taken; null: the answer is read whole (another source's page, or one too small or not followed). */
export function answerChunks(source: SourceAdapter, bytes: ArrayBuffer): Iterable<Uint8Array> | null {
  return source.wholeMonths ? packageChunks(new Uint8Array(bytes), WHOLE_MONTH_CHUNK) : null;
}

/** Sends releases as write parts of the page, numbered from `firstPart`; returns how many it sent. */
export async function sendPage(env: Env, db: Db, window: WindowDoc, page: number, releases: readonly MappedRelease[], firstPart = 0): Promise<number> {
  const target = { windowId: window._id, generation: window.generation, page };
  const { messages, oversized } = buildWriteMessages(target, releases, undefined, firstPart);
  if (oversized.length > 0) messages.push(stagedPartMessage(target, firstPart + messages.length, await stageReleases(db, oversized, new Date())));
  // One by one: sendBatch is capped at 256 KB in all, two full parts.
  for (const message of messages) await queueBinding(env, 'write').send(message, { contentType: 'json' });
  return messages.length;
}

function oldestOf(mapped: readonly MappedRelease[]): MappedRelease[] {
  const oldest = mapped.reduce<MappedRelease | undefined>((found, m) => (found === undefined || Date.parse(m.contract.releaseDate) < Date.parse(found.contract.releaseDate) ? m : found), undefined);
  return oldest ? [oldest] : [];
}
