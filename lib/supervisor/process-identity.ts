import { readFileSync } from 'node:fs';

/**
 * Who a process is, beyond its pid. Pids are reused: a lock that names pid 4242 must not be
 * kept alive by an unrelated process that got 4242 after a crash. On Linux the kernel's start
 * time of the process (field 22 of /proc/<pid>/stat, clock ticks since boot) tells them apart,
 * and the boot id tells a pid of this boot from one recorded before a restart. Elsewhere
 * neither is available and a reused pid keeps a lock alive until that process ends too (a
 * known limitation: the lock errs on the side of "held").
 */
export interface ProcessStat {
  state: string;
  ppid: number;
  pgid: number;
  startTime: string;
}

export function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 20) return undefined;
  return { state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19]! };
}

export function processStartTime(pid: number): string | undefined {
  return readProcessStat(pid)?.startTime;
}

let procAvailable: boolean | undefined;

function hasProc(): boolean {
  procAvailable ??= readProcessStat(process.pid) !== undefined;
  return procAvailable;
}

let cachedBootId: string | undefined | null = null;

export function bootId(): string | undefined {
  if (cachedBootId === null) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      cachedBootId = undefined;
    }
  }
  return cachedBootId;
}

/**
 * Whether `pid` runs on this host (a zombie does not count: it has ended and waits to be
 * reaped). With `startTime`, also that it is the same process as when the time was recorded.
 */
export function isProcessAlive(pid: number, startTime?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProcessStat(pid);
  if (!stat) return !hasProc(); // without /proc the signal test is all there is

  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || stat.startTime === startTime;
}
