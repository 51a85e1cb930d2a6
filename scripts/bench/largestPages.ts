/** The largest real captured pages (test/fixtures/real/), by bytes as served: the bench's worst case for memory and CPU. */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { listRealFixtures, type RealFixture } from '../../test/fixtures/realFixtures.ts';

const fixturePath = (file: string) => fileURLToPath(new URL(`../../test/fixtures/real/${file}`, import.meta.url).href);

export function largestPages(count: number): (RealFixture & { size: number })[] {
  return listRealFixtures()
    .map((fixture) => ({ ...fixture, size: statSync(fixturePath(fixture.file)).size }))
    .sort((a, b) => b.size - a.size)
    .slice(0, count);
}

/** A page's bytes in one ArrayBuffer of their own, as `response.arrayBuffer()` gives them. */
export async function pageBytes(file: string): Promise<ArrayBuffer> {
  const buffer = await readFile(fixturePath(file));
  // Node reads a file this size into a buffer of its own (only small ones share a pool).
  if (buffer.byteOffset !== 0 || buffer.buffer.byteLength !== buffer.length) throw new Error(`${file}: read into a shared buffer`);
  return buffer.buffer as ArrayBuffer;
}
