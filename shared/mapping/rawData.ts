import { Buffer } from 'node:buffer';

/** `STORE_RAW`: keep the release as published, gzip-compressed, or not at all. */
export type StoreRaw = 'object' | 'gzip' | 'off';

/** gzip(UTF-8 text) as base64, with the web CompressionStream (Workers and Node alike). */
export async function gzipBase64(text: string): Promise<string> {
  const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return Buffer.from(await new Response(compressed).arrayBuffer()).toString('base64');
}

/** The inverse of gzipBase64, from the stored bytes (`rawDataGz`): the release JSON text. */
export async function gunzipText(bytes: Uint8Array): Promise<string> {
  const plain = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(plain).text();
}
