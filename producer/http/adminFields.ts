import * as v from 'valibot';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';

/** The fields admin bodies share, with messages that name what is accepted and never echo what was sent. */
export const SourceField = v.picklist(SOURCE_NAMES, `must be one of ${SOURCE_NAMES.join(', ')}`);

/** `2024-03-01` (midnight UTC) or an ISO instant with its zone (`2024-03-01T12:00:00Z`). */
export const DateField = v.pipe(
  v.string('must be a date as a string: YYYY-MM-DD or an ISO instant'),
  v.regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'must be YYYY-MM-DD or an ISO instant with its zone (2024-03-01T12:00:00Z)'),
  v.check((text) => isRealDate(text), 'is not a date in the calendar'),
  v.transform((text) => new Date(text)),
);

/** `2026-02-30` parses (as 2 March) in JavaScript: a date is real only if its day reads back the same. */
function isRealDate(text: string): boolean {
  const day = text.slice(0, 10);
  const midnight = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(new Date(text).getTime()) && !Number.isNaN(midnight.getTime()) && midnight.toISOString().slice(0, 10) === day;
}

/** Every admin body is a JSON object; the message for anything else does not repeat what came. */
export const BODY_NOT_OBJECT = 'body: must be a JSON object';
