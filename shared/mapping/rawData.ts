/** `STORE_RAW`: keep the release as published, gzip-compressed, or not at all. */
export type StoreRaw = 'object' | 'gzip' | 'off';

/** Bytes as base64 (btoa works on a binary string, built in chunks to bound argument counts). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

const CHUNK = 8192;

/** gzip(UTF-8 text) as base64, with the web CompressionStream (Workers and Node alike). */
export async function gzipBase64(text: string): Promise<string> {
  const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return bytesToBase64(new Uint8Array(await new Response(compressed).arrayBuffer()));
}
