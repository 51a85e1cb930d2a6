/**
 * An OCDS date as an ISO-8601 UTC instant (`2026-10-06T17:31:55.000Z`), or undefined when it is
 * not a date.
 *
 * Both services send offsets (`Z`, `+00:00`, `+01:00` are all observed, see UPSTREAM.md), which
 * `Date` reads exactly. Only ISO-shaped text is accepted: `Date.parse` also reads free text such as
 * "October 5", which is no OCDS date. A date-time without a zone is read as UTC, never as the
 * machine's local time, so mapping stays deterministic (Workers run in UTC anyway).
 */
export function toIsoInstant(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = ISO_DATE.exec(text);
  if (match === null) return undefined;
  const hasZone = match[1] !== undefined;
  const isDateOnly = !text.includes('T');
  const time = Date.parse(hasZone || isDateOnly ? text : `${text}Z`);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` and a zone (`Z`, `±HH:MM`). */
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
