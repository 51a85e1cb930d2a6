/** What a MongoDB failure is made of, for telling its cause: the error and every error it carries. */
export interface MongoErrorChain {
  /** Every error's name and message, one per line. */
  text: string;
  /** Whether any of the errors has one of these codes (MongoDB's numbers, Node's strings). */
  has(...codes: (string | number)[]): boolean;
}

/**
 * The error and the errors it carries: its cause, an AggregateError's errors, and each server's
 * error in a server selection error's description (where the driver keeps why a server was not usable).
 */
export function mongoErrorChain(error: unknown): MongoErrorChain {
  const all: { name?: unknown; message?: unknown; code?: unknown }[] = [];
  const visit = (e: unknown) => {
    if (!e || typeof e !== 'object' || all.includes(e)) return;
    const carrier = e as { cause?: unknown; errors?: unknown; reason?: { servers?: Map<string, { error?: unknown }> } };
    all.push(e);
    visit(carrier.cause);
    if (Array.isArray(carrier.errors)) carrier.errors.forEach(visit);
    if (carrier.reason?.servers instanceof Map) for (const server of carrier.reason.servers.values()) visit(server.error);
  };
  visit(error);
  const text = all.length > 0 ? all.map((e) => `${String(e.name)}: ${String(e.message)}`).join('\n') : String(error);
  const codes = new Set(all.map((e) => e.code));
  return { text, has: (...wanted) => wanted.some((code) => codes.has(code)) };
}
