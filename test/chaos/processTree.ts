import { spawnSync } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  pgid: number;
  command: string;
}

/**
 * Every process now, from `ps`, but zombies: those have exited (no memory, no CPU) and only wait
 * for their parent, or init, to collect their exit status.
 */
function processes(): (ProcessInfo & { ppid: number })[] {
  const out = spawnSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null && !m[4].startsWith('Z'))
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), command: m[5] }));
}

/** `pid` and every process below it, however it was started (a detached child keeps its parent). */
export function processTree(pid: number): ProcessInfo[] {
  const all = processes();
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => tree.has(p.pid)).map(({ pid, pgid, command }) => ({ pid, pgid, command }));
}

/**
 * Of the processes seen before, those still alive (same pid and command, so a reused pid does not
 * count), and any other process in one of their process groups.
 */
export function leftOver(seen: readonly ProcessInfo[]): ProcessInfo[] {
  const groups = new Set(seen.map((p) => p.pgid));
  const byPid = new Map(seen.map((p) => [p.pid, p.command]));
  return processes()
    .filter((p) => byPid.get(p.pid) === p.command || groups.has(p.pgid))
    .map(({ pid, pgid, command }) => ({ pid, pgid, command }));
}
