import { Buffer } from 'node:buffer';

/** `STORE_RAW`: keep the release as published, gzip-compressed, or not at all. */
export type StoreRaw = 'object' | 'gzip' | 'off';

/** gzip(UTF-8 text) as base64, with the web CompressionStream (Workers and Node alike). */
export async function gzipBase64(text: string): Promise<string> {
  const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return Buffer.from(await new Response(compressed).arrayBuffer()).toString('base64');
}
