import type { WindowDoc } from './window.ts';

/**
 * A window is complete when every slice was fetched and every write part of every page of the
 * current generation is stored. Checked by whoever moves last (the fetch consumer finishing the
 * chain, or the write consumer storing the last part), each on the state its own atomic update returned.
 */
export function isWindowComplete(window: Pick<WindowDoc, 'state' | 'checkpoint' | 'pageParts' | 'writtenParts' | 'generation'>): boolean {
  if (window.state !== 'fetched' || !window.checkpoint.complete) return false;
  const written = new Set(window.writtenParts);
  return Object.entries(window.pageParts).every(([pageKey, parts]) => {
    for (let part = 0; part < parts; part++) {
      if (!written.has(writtenPartKey(window.generation, Number(pageKey.slice(1)), part))) return false;
    }
    return true;
  });
}

export const pageKey = (page: number): string => `p${page}`;
export const writtenPartKey = (generation: number, page: number, part: number): string => `${generation}.${page}.${part}`;
