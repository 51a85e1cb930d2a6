/** Trying again cannot help (a 400, an unknown window, a message we cannot read): dead-letter at once. */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

/** Worth another try after a backoff (a record race: another writer moved on). */
export class TransientError extends Error {
  override name = 'TransientError';
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
