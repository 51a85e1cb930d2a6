const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Runs `work` with the console captured: every line logged meanwhile (the Worker's logs) and, if
 * `work` throws, what the platform would log of the uncaught error (its text, stack and cause).
 */
export async function capturedLogs<T>(work: () => Promise<T>): Promise<{ logs: string[]; thrown: string | null; result?: T }> {
  const logs: string[] = [];
  const originals = METHODS.map((name) => console[name]);
  for (const name of METHODS) console[name] = (...args: unknown[]) => void logs.push(args.map(String).join(' '));
  try {
    return { logs, thrown: null, result: await work() };
  } catch (error) {
    const e = error as Error;
    return { logs, thrown: [String(error), e?.stack, e?.cause === undefined ? '' : String(e.cause)].join('\n') };
  } finally {
    METHODS.forEach((name, i) => (console[name] = originals[i]));
  }
}
