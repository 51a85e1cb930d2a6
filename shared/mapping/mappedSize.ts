import type { MappedRelease } from './mappedRelease.ts';

/** UTF-8 byte length of the message body, to keep queue messages under their size limit. */
export function mappedSize(mapped: MappedRelease): number {
  return new TextEncoder().encode(JSON.stringify(mapped)).byteLength;
}
