/** Trimmed text, or undefined when missing, not a string or blank: documents keep no empty fields. */
export function cleanText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An OCDS id (string, or a number from some publishers) as text; undefined when missing or blank. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return cleanText(value);
}
