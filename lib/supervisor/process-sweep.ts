import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { isProcessAlive, readProcessStat } from './process-identity.ts';

/** A process found running inside a worktree, and how it was recognised. */
export interface StrayProcess {
  pid: number;
  /** `cwd`, `open file`, or `run environment` (it carries the run's AUTOPACK_WORKTREE). */
  via: 'cwd' | 'open file' | 'run environment';
  command: string;
}

/** The marker every process of a run inherits from its worker (unless it clears its environment). */
export const WORKTREE_ENV = 'AUTOPACK_WORKTREE';

const procAvailable = () => readProcessStat(process.pid) !== undefined;

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

/** This process and its ancestors: never stopped, even when started from inside a worktree. */
function selfAndAncestors(): Set<number> {
  const chain = new Set<number>([process.pid]);
  for (let pid = process.ppid; pid > 1 && !chain.has(pid); pid = readProcessStat(pid)?.ppid ?? 0) chain.add(pid);
  return chain;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 200);
  } catch {
    return '';
  }
}

/**
 * Every process (but this one and its ancestors) whose cwd or an open file lies inside `root`,
 * or whose environment names `root` as its run's worktree: this finds what a run left behind
 * even after it left the process group (`setsid`). Linux only (it reads /proc); elsewhere it
 * finds nothing and only the worker's process group is stopped.
 */
export function findProcessesInside(root: string, options: { exclude?: readonly number[]; startedSince?: string } = {}): StrayProcess[] {
  if (!procAvailable()) return [];
  const roots = new Set([root]);
  try {
    roots.add(realpathSync(root));
  } catch {
    /* already gone: its processes still show the path */
  }
  const inside = (target: string | undefined) => target !== undefined && [...roots].some((r) => target === r || target.startsWith(`${r}/`));
  const markers = [...roots].map((r) => `${WORKTREE_ENV}=${r}`);
  const skip = selfAndAncestors();
  for (const pid of options.exclude ?? []) skip.add(pid);
  const since = options.startedSince === undefined ? undefined : Number(options.startedSince);
  const found: StrayProcess[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || skip.has(pid)) continue;
    // A process older than the run cannot be one the run started: one read instead of many.
    if (since !== undefined && Number(readProcessStat(pid)?.startTime ?? Number.POSITIVE_INFINITY) < since) continue;
    let via: StrayProcess['via'] | undefined;
    if (inside(readLink(`/proc/${pid}/cwd`))) via = 'cwd';
    if (!via) {
      let fds: string[] = [];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        /* gone, or not ours to read */
      }
      if (fds.some((fd) => inside(readLink(`/proc/${pid}/fd/${fd}`)))) via = 'open file';
    }
    if (!via) {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        if (markers.some((marker) => environ.includes(marker))) via = 'run environment';
      } catch {
        /* gone, or not ours to read */
      }
    }
    if (via && isProcessAlive(pid)) found.push({ pid, via, command: commandOf(pid) });
  }
  return found;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter((pid) => isProcessAlive(pid));
  while (alive.length > 0 && Date.now() < deadline) {
    await pause(20);
    alive = alive.filter((pid) => isProcessAlive(pid));
  }
  return alive;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    /* gone already */
  }
}

/**
 * Stops every process running inside `root` (see findProcessesInside): SIGTERM, then SIGKILL
 * for what is left after `graceMs`. Looks again afterwards, for processes started meanwhile.
 * Returns what it stopped.
 */
export async function stopProcessesInside(root: string, options: { graceMs?: number; exclude?: readonly number[]; startedSince?: string } = {}): Promise<StrayProcess[]> {
  const stopped: StrayProcess[] = [];
  for (let round = 0; round < 3; round++) {
    const found = findProcessesInside(root, options);
    if (found.length === 0) break;
    stopped.push(...found);
    const pids = found.map((entry) => entry.pid);
    for (const pid of pids) signal(pid, 'SIGTERM');
    const left = await waitGone(pids, options.graceMs ?? 2000);
    for (const pid of left) signal(pid, 'SIGKILL');
    await waitGone(left, 2000);
  }
  return stopped;
}
