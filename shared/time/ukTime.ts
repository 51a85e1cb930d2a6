/**
 * UK local time, as both services read their date parameters (Europe/London: GMT in winter,
 * BST = UTC+1 in summer). Intl knows the DST rules, so no table is kept here.
 */
const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const HOUR = 3_600_000;

/** `YYYY-MM-DDTHH:MM:SS` in UK local time, no zone: FTS's `updatedFrom` / `updatedTo`. */
export function ukLocalDateTime(instant: Date): string {
  const part = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}`;
}

/**
 * The instants a zone-less UK local time can name: one as a rule, two in the repeated autumn hour
 * (01:00-02:00 happens first in BST, then in GMT), none in the skipped spring hour. A service given
 * such a time may pick either of two, so callers that need one instant avoid those times.
 */
export function ukLocalReadings(local: string): Date[] {
  const asUtc = Date.parse(`${local}Z`);
  // The UK is 0 or 1 hour ahead of UTC, so the instant is the wall time or an hour before it.
  return [asUtc - HOUR, asUtc].filter((ms) => ukLocalDateTime(new Date(ms)) === local).map((ms) => new Date(ms));
}

/** True inside the repeated autumn hour, when the instant's UK local time also names another. */
export function ukLocalIsAmbiguous(instant: Date): boolean {
  return ukLocalReadings(ukLocalDateTime(instant)).length > 1;
}

/** Minutes UK local time is ahead of UTC at that instant: 0 or 60. */
export function ukOffsetMinutes(instant: Date): number {
  const local = Date.parse(`${ukLocalDateTime(instant)}Z`);
  return Math.round((local - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** ISO 8601 in UK local time with its offset (`Z` in winter, `+01:00` in summer): CF's `publishedFrom` / `publishedTo`. */
export function ukIsoDateTime(instant: Date): string {
  const offset = ukOffsetMinutes(instant);
  const zone = offset === 0 ? 'Z' : `+${String(Math.floor(offset / 60)).padStart(2, '0')}:${String(offset % 60).padStart(2, '0')}`;
  return `${ukLocalDateTime(instant)}${zone}`;
}
