import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { MESSAGE_VERSION, type WriteMessage } from '../../shared/queue/messages.ts';
import { jsonBytes } from '../../shared/queue/jsonBytes.ts';
import { splitIntoParts } from './splitIntoParts.ts';

/**
 * A queue message is at most 128 KB; the releases of one message stay under this, leaving room
 * for the envelope and the queue's own encoding.
 */
export const MAX_RELEASES_BYTES = 120_000;

export interface PageWrites {
  messages: WriteMessage[];
  /** Releases too big for any message: the caller parks them and sends their ids. */
  oversized: MappedRelease[];
}

/** The write messages of one page, numbered part `firstPart`, `firstPart` + 1, ... in order. Pure. */
export function buildWriteMessages(
  target: { windowId: string; generation: number; page: number },
  releases: readonly MappedRelease[],
  maxBytes = MAX_RELEASES_BYTES,
  firstPart = 0,
): PageWrites {
  const { parts, oversized } = splitIntoParts(releases, maxBytes, jsonBytes);
  const messages = parts.map((part, index) => writeMessage(target, firstPart + index, part, []));
  return { messages, oversized };
}

/** The one extra part that carries only the ids of parked releases. */
export function stagedPartMessage(target: { windowId: string; generation: number; page: number }, part: number, stagedIds: string[]): WriteMessage {
  return writeMessage(target, part, [], stagedIds);
}

function writeMessage(target: { windowId: string; generation: number; page: number }, part: number, releases: MappedRelease[], staged: string[]): WriteMessage {
  return { v: MESSAGE_VERSION, type: 'write', ...target, part, releases, staged };
}
