import type { CommandStartedEvent, MongoClient } from 'mongodb';

/**
 * The commands a client sends, from the driver's command monitoring (the client needs
 * `monitorCommands: true`): one command is one round trip to the server. `take()` returns what was
 * sent since the last call, as `name collection` (e.g. `insert contracts`).
 */
export function logCommands(client: MongoClient): { take(): string[] } {
  let sent: string[] = [];
  client.on('commandStarted', (event: CommandStartedEvent) => {
    sent.push(`${event.commandName} ${String(event.command[event.commandName] ?? '')}`);
  });
  return {
    take() {
      const taken = sent;
      sent = [];
      return taken;
    },
  };
}
