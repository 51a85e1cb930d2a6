import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child process and waits for it to exit: SIGTERM, then SIGKILL after `graceMs` (0: at
 * once, as a crash would). `group` signals the child's whole process group (it must have been
 * spawned `detached`), so what it started itself (wrangler's workerd) stops with it.
 */
export async function stopProcess(child: ChildProcess, options: { graceMs?: number; group?: boolean } = {}): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signal = (name: NodeJS.Signals) => {
    try {
      if (options.group) process.kill(-child.pid!, name);
      else child.kill(name);
    } catch {
      child.kill(name);
    }
  };
  const graceMs = options.graceMs ?? 10_000;
  if (graceMs === 0) signal('SIGKILL');
  else signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

const running = new Set<{ child: ChildProcess; group: boolean }>();
let exitHooked = false;

/**
 * Kills `child` (its process group with `group`) when this process exits, however it ends: a
 * detached wrangler is in a group of its own, so a Ctrl-C or a `timeout` that stops this process
 * would leave it and its workerd running (one left over spun a core at 100% and slowed the next
 * bench's FerretDB into timeouts). A signal ends this process through `exitOnSignal`.
 */
export function stopWithThisProcess(child: ChildProcess, options: { group?: boolean } = {}): void {
  const entry = { child, group: options.group === true };
  running.add(entry);
  child.once('exit', () => running.delete(entry));
  if (!exitHooked) process.on('exit', killRunning);
  exitHooked = true;
}

function killRunning(): void {
  for (const { child, group } of running) {
    try {
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Exits on SIGINT and SIGTERM (130, 143) instead of dying of them, so the children above are killed. */
export function exitOnSignal(): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}
