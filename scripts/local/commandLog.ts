import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';

/** What a client sent since the last look. */
export interface SentCommands {
  /** Each command as `name collection` (e.g. `insert contracts`), round trip by round trip, by name within one (with `stepOnce`, a step's chunks once). */
  commands: string[];
  /**
   * Round trips one after another: the longest chain of commands each sent after the one before it
   * was answered. Commands sent side by side share one; so do a step's chunks when `stepOnce` is set
   * (production sends them as one command).
   */
  roundTrips: number;
}

interface Sent {
  name: string;
  started: number;
  answered: number;
  requestId: number;
}

/**
 * The commands a client sends, from the driver's command monitoring (the client needs
 * `monitorCommands: true`), with the round trips they cost in sequence. `take()` returns what was
 * sent since the last call.
 */
export function logCommands(client: MongoClient, { stepOnce = false }: { stepOnce?: boolean } = {}): { take(): SentCommands } {
  // Events in the order the driver emits them: a command is answered before another starts, or not.
  let clock = 0;
  let sent: Sent[] = [];
  client.on('commandStarted', (event: CommandStartedEvent) => {
    sent.push({ name: `${event.commandName} ${String(event.command[event.commandName] ?? '')}`, started: ++clock, answered: Infinity, requestId: event.requestId });
  });
  const answer = (event: CommandSucceededEvent | CommandFailedEvent) => {
    const command = sent.findLast((s) => s.requestId === event.requestId);
    if (command) command.answered = ++clock;
  };
  client.on('commandSucceeded', answer);
  client.on('commandFailed', answer);
  return {
    take() {
      const taken = sent;
      sent = [];
      return inSequence(taken, stepOnce);
    },
  };
}

/**
 * Each command's place in the chain (1 + the deepest one answered before it started), and the
 * longest chain. With `stepOnce`, a step's chunks (a command of the same name starting after the
 * one before it was answered) first join into one command from the first's start to the last's answer.
 */
function inSequence(sent: readonly Sent[], stepOnce: boolean): SentCommands {
  const steps: Sent[] = [];
  for (const command of sent) {
    const step = stepOnce ? steps.findLast((s) => s.name === command.name) : undefined;
    if (step && step.answered < command.started) step.answered = command.answered;
    else steps.push({ ...command });
  }
  const depth: number[] = [];
  for (const [i, step] of steps.entries()) depth.push(1 + Math.max(0, ...steps.slice(0, i).flatMap((earlier, j) => (earlier.answered < step.started ? [depth[j]] : []))));
  const order = steps.map((step, i) => ({ name: step.name, depth: depth[i] })).sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  return { commands: order.map((c) => c.name), roundTrips: Math.max(0, ...depth) };
}
