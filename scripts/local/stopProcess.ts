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
