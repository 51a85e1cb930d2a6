import type { WindowDoc } from './window.ts';

/**
 * A window is complete when every slice was fetched, no page was left unread (a hole), and every
 * write part of every page of the current generation is stored (`written`: the keys of its stored
 * parts). Checked by whoever moves last: the fetch consumer finishing the chain, or the write
 * consumer storing the last part.
 */
export function isWindowComplete(window: Pick<WindowDoc, 'state' | 'checkpoint' | 'pageParts' | 'generation'>, written: ReadonlySet<string>): boolean {
  if (window.state !== 'fetched' || !window.checkpoint.complete || window.checkpoint.holes.length > 0) return false;
  return Object.entries(window.pageParts).every(([pageKey, parts]) => {
    for (let part = 0; part < parts; part++) {
      if (!written.has(writtenPartKey(window.generation, Number(pageKey.slice(1)), part))) return false;
    }
    return true;
  });
}

export const pageKey = (page: number): string => `p${page}`;
export const writtenPartKey = (generation: number, page: number, part: number): string => `${generation}.${page}.${part}`;
