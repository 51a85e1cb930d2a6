/**
 * Messages a local Worker's queue consumers have finished, read from its log (the lines
 * consumer/fetch/fetchConsumer.ts and consumer/write/writeConsumer.ts print once a message's work
 * is done): every fetch message, acted on or ignored, and every write part of a stored batch. A
 * message that failed is not counted until a later delivery finishes it. For waiting until messages
 * sent by hand (a replay) have been taken: no MongoDB state says so for a stale fetch message.
 */
export function consumedMessages(log: string): { fetch: number; write: number } {
  const fetch = log.match(/fetch \S+#\d+: \{"kind":/g)?.length ?? 0;
  const write = [...log.matchAll(/write: (\d+) parts, /g)].reduce((sum, match) => sum + Number(match[1]), 0);
  return { fetch, write };
}
