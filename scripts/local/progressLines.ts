import type { SourceProgress } from './progress.ts';
import { progressBar } from './progressBar.ts';

/**
 * What `npm start` draws while it waits: a bar per source (windows closed, distinct notices
 * stored), and, while MongoDB cannot be read, since when (local time), so a stopped server shows as
 * what it is rather than as a stall.
 */
export function progressLines(progress: Record<string, SourceProgress>, mongoUnreachableSince: Date | null): string[] {
  const lines = Object.entries(progress).map(
    ([source, p]) =>
      `${source.padEnd(17)} ${progressBar(p.done, p.windows)} ${String(p.done).padStart(3)}/${p.windows} windows  ${p.releasesStored.toLocaleString('en-GB').padStart(7)} notices stored${p.failed ? `  ${p.failed} failed` : ''}`,
  );
  if (mongoUnreachableSince) lines.push(`MongoDB unreachable since ${mongoUnreachableSince.toTimeString().slice(0, 8)}: the Worker's work waits for it, and this run carries on`);
  return lines;
}
