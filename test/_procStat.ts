/**
 * A process's `/proc/<pid>/stat`, its fields numbered as proc(5) numbers them (1 the pid, 2 the
 * command, 3 the state, 14 and 15 the user and system CPU time in clock ticks); undefined once the
 * process is gone, or where there is no /proc to ask.
 */
import { readFileSync } from 'node:fs';

export interface ProcStat {
  field(number: number): string;
}

export function procStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "<pid> (<command>) <state> ...": the command may hold spaces and parentheses, so the fields
  // from the third on are counted after the last ')'.
  const fromState = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { field: (number) => fromState[number - 3] ?? '' };
}
