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

/** `YYYY-MM-DDTHH:MM:SS` in UK local time, no zone: FTS's `updatedFrom` / `updatedTo`. */
export function ukLocalDateTime(instant: Date): string {
  const part = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}`;
}

/**
 * True inside the autumn fall-back hour, when one UK local time names two instants (01:00-02:00
 * happens twice): a zone-less FTS parameter there is read one way or the other, so callers widen
 * the range by that hour rather than lose it.
 */
export function ukLocalIsAmbiguous(instant: Date): boolean {
  const local = ukLocalDateTime(instant);
  const hour = 3_600_000;
  return [-hour, hour].some((shift) => ukLocalDateTime(new Date(instant.getTime() + shift)) === local);
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
