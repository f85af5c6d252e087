/**
 * CPU time of this process and of its child processes (Lambda execution environments, named by
 * their AWS_LAMBDA_FUNCTION_NAME), from /proc: Linux only, as the machine the benchmarks run on.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks a second of /proc/<pid>/stat's utime and stime; 100 on Linux on every common architecture. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly ppid: number;
  readonly cpuMillis: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces and parentheses: state is field 3.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { ppid: Number(fields[1]), cpuMillis: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function functionNameOf(pid: number): string {
  try {
    const variables = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const name = variables.find((variable) => variable.startsWith('AWS_LAMBDA_FUNCTION_NAME='));
    if (name !== undefined) return name.slice(name.indexOf('=') + 1);
  } catch {
    // Gone already, or not ours to read.
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return `pid ${pid}`;
  }
}

/** CPU milliseconds used so far: `self` (all threads of this process), and each child's, summed by function. */
export function cpuSnapshot(): Map<string, number> {
  const byName = new Map<string, number>();
  const usage = process.cpuUsage();
  byName.set('self', (usage.user + usage.system) / 1000);
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = procStat(pid);
    if (stat?.ppid !== process.pid) continue;
    const name = functionNameOf(pid);
    byName.set(name, (byName.get(name) ?? 0) + stat.cpuMillis);
  }
  return byName;
}

/** CPU milliseconds used between two snapshots, per name (a child started in between counts from zero). */
export function cpuBetween(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...after].map(([name, millis]) => [name, millis - (before.get(name) ?? 0)]));
}
