/**
 * UK time as the two services speak it: FTS takes zone-less `YYYY-MM-DDTHH:MM:SS` read as
 * Europe/London wall-clock time; CF and every release date use ISO 8601 with the UK offset of the
 * moment (`+01:00` in summer, `Z` or `+00:00` in winter). The offset always comes from Intl, so
 * DST changes are exactly those of the tz database.
 */

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTimeOf(instant: Date): WallTime {
  const shifted = new Date(instant.getTime() + ukOffsetMinutes(instant) * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

function wallTimeMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** Reads regex groups as a wall time, or null when a field is out of range (e.g. 2026-02-30). */
function wallTimeFrom(match: RegExpExecArray): WallTime | null {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const wall = { year, month, day, hour, minute, second };
  const check = new Date(wallTimeMs(wall));
  const valid =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  return valid ? wall : null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const HOUR = 3_600_000;
/** Offsets by UTC hour: the UK changes clocks on the hour (01:00 UTC), and Intl is slow. */
const offsetByHour = new Map<number, number>();

/** Minutes the UK is ahead of UTC at this instant: 60 in BST, 0 in GMT. */
export function ukOffsetMinutes(instant: Date): number {
  const hour = Math.floor(instant.getTime() / HOUR);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const parts: Record<string, number> = {};
    for (const part of wallClock.formatToParts(new Date(hour * HOUR))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    offset = (wall - hour * HOUR) / 60_000;
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** `YYYY-MM-DDTHH:MM:SS` on a UK wall clock (what FTS expects in updatedFrom/updatedTo). */
export function formatUkLocal(instant: Date): string {
  const w = wallTimeOf(instant);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/**
 * Reads a zone-less UK wall time. Twice a year the mapping is not one-to-one: in the October
 * overlap (01:00–02:00 happens twice) the first, BST, instant is taken; in the March gap
 * (01:00–02:00 never happens) the time is read as GMT, i.e. one hour later on the new clock.
 */
export function parseUkLocal(text: string): Date | null {
  const match = ZONELESS.exec(text);
  const wall = match && wallTimeFrom(match);
  if (!wall) return null;
  const asUtc = wallTimeMs(wall);
  const nearbyOffsets = [asUtc - 12 * 3_600_000, asUtc + 12 * 3_600_000]
    .map((ms) => ukOffsetMinutes(new Date(ms)))
    .sort((a, b) => b - a);
  for (const offset of nearbyOffsets) {
    const candidate = new Date(asUtc - offset * 60_000);
    if (ukOffsetMinutes(candidate) === offset) return candidate;
  }
  return new Date(asUtc - Math.min(...nearbyOffsets) * 60_000);
}

/**
 * ISO 8601 with the UK offset of that instant, to the second. `winter` picks how GMT is written:
 * both `Z` and `+00:00` occur in real FTS data; CF writes `Z`.
 */
export function formatUkIso(instant: Date, winter: 'Z' | '+00:00' = 'Z'): string {
  const offset = ukOffsetMinutes(instant);
  const suffix = offset === 0 ? winter : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${formatUkLocal(instant)}${suffix}`;
}

/** Strict ISO 8601 date-time with a zone (`Z` or `±HH:MM`); null for anything else. */
export function parseIsoWithOffset(text: string): Date | null {
  const match = WITH_OFFSET.exec(text);
  const wall = match && wallTimeFrom(match);
  if (!match || !wall) return null;
  const zone = match[8];
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const fraction = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  return new Date(wallTimeMs(wall) - offsetMinutes * 60_000 + fraction);
}
