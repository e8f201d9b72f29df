import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { describeHolder, staleReason } from './lock-liveness.ts';
import { bootId, processStartTime } from './process-identity.ts';

/**
 * A run lock or a workspace lease: who holds it, and when it last proved to be alive. Files
 * are created whole and atomically (written aside, then hard-linked into place, which fails
 * when the name exists), never truncated, renewed by an atomic rename, and removed only by
 * their owner.
 */
export interface LockBody {
  owner_token: string;
  /** The process that took the lock (the supervisor); kept for readers of the first format. */
  pid: number;
  host: string;
  purpose: 'run_lock' | 'workspace_lease';
  /** What it protects: a run id or a worktree path. */
  resource: string;
  created_at: string;
  heartbeat_at: string;
  ttl_ms: number;
  /** The supervisor and the worker of the run: the lock is live while either runs. */
  supervisor_pid?: number;
  worker_pid?: number;
  /** Kernel start times of those pids (Linux), so that a reused pid is not taken for them. */
  supervisor_start?: string;
  worker_start?: string;
  /** The host's boot id (Linux): pids recorded before a restart are all dead. */
  boot_id?: string;
}

export const DEFAULT_TTL_MS = 60_000;

export { isProcessAlive } from './process-identity.ts';
export { describeHolder, staleReason } from './lock-liveness.ts';

export async function readLock(path: string): Promise<LockBody | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'unreadable';
  }
  try {
    const body = JSON.parse(text) as Partial<LockBody>;
    return typeof body === 'object' && body !== null && typeof body.owner_token === 'string' ? (body as LockBody) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

async function writeAside(path: string, body: LockBody): Promise<string> {
  const temp = `${path}.${body.owner_token}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(body, null, 2)}\n`, { flag: 'wx' });
  } catch (error) {
    // A full disk leaves a partial temp file behind: never leave it.
    await unlink(temp).catch(() => {});
    throw error;
  }
  return temp;
}

export class HeldLock {
  // Renewals and updates rewrite the whole file: one at a time.
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    public body: LockBody,
  ) {}

  private rewrite(change: Partial<LockBody>): Promise<boolean> {
    const next = this.pending.catch(() => {}).then(async () => {
      const current = await readLock(this.path);
      if (current === undefined || current === 'unreadable' || current.owner_token !== this.body.owner_token) return false;
      const body = { ...this.body, ...change };
      const temp = await writeAside(this.path, body);
      try {
        await rename(temp, this.path);
      } catch (error) {
        await unlink(temp).catch(() => {});
        throw error;
      }
      this.body = body;
      return true;
    });
    this.pending = next;
    return next;
  }

  /** Moves the heartbeat forward; false when the file is no longer ours (it was reclaimed). */
  renew(now = new Date()): Promise<boolean> {
    return this.rewrite({ heartbeat_at: now.toISOString() });
  }

  /** Records the worker, so that the lock stays held while it runs, whatever happens to us. */
  setWorker(pid: number, now = new Date()): Promise<boolean> {
    const start = processStartTime(pid);
    return this.rewrite({ worker_pid: pid, ...(start ? { worker_start: start } : {}), heartbeat_at: now.toISOString() });
  }

  /** Removes the file if (and only if) it is still ours. */
  async release(): Promise<boolean> {
    await this.pending?.catch(() => {});
    const current = await readLock(this.path);
    if (current === undefined || current === 'unreadable' || current.owner_token !== this.body.owner_token) return false;
    await unlink(this.path).catch(() => {});
    return true;
  }
}

export type AcquireResult = { ok: true; lock: HeldLock; reclaimed?: string } | { ok: false; holder: LockBody | 'unreadable'; reason: string };

function newBody(options: { purpose: LockBody['purpose']; resource: string; ttlMs?: number }, stamp: string): LockBody {
  const start = processStartTime(process.pid);
  const boot = bootId();
  return {
    owner_token: randomUUID(),
    pid: process.pid,
    host: hostname(),
    purpose: options.purpose,
    resource: options.resource,
    created_at: stamp,
    heartbeat_at: stamp,
    ttl_ms: options.ttlMs ?? DEFAULT_TTL_MS,
    supervisor_pid: process.pid,
    ...(start ? { supervisor_start: start } : {}),
    ...(boot ? { boot_id: boot } : {}),
  };
}

/**
 * Takes the lock at `path` or reports who holds it. A stale lock (see staleReason) is
 * reclaimed: renamed aside atomically, checked to be the one inspected (a fresh lock renamed
 * by mistake is put back), then the create is retried.
 */
export async function acquireLock(
  path: string,
  options: { purpose: LockBody['purpose']; resource: string; ttlMs?: number; now?: () => Date },
): Promise<AcquireResult> {
  const now = options.now ?? (() => new Date());
  await mkdir(dirname(path), { recursive: true });
  let reclaimed: string | undefined;
  for (let attempt = 0; attempt < 40; attempt++) {
    const body = newBody(options, now().toISOString());
    const temp = await writeAside(path, body);
    try {
      await link(temp, path);
      return { ok: true, lock: new HeldLock(path, body), ...(reclaimed ? { reclaimed } : {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temp).catch(() => {});
    }
    const existing = await readLock(path);
    if (existing === undefined) continue; // released meanwhile: try again
    const stale = staleReason(existing, now());
    if (!stale) return { ok: false, holder: existing, reason: `held by ${describeHolder(existing)}` };
    if (await removeStale(path, existing, now)) reclaimed = stale;
    // Another process is breaking it: give it a moment to finish.
    else await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
  }
  const holder = (await readLock(path)) ?? 'unreadable';
  return { ok: false, holder, reason: 'contended: could not take the lock after several attempts' };
}

/** A lock file as found on disk, for `gc` and `--cleanup`. */
export async function inspectLock(path: string, now = new Date()): Promise<{ path: string; body: LockBody | 'unreadable'; stale?: string; mtimeMs: number } | undefined> {
  const body = await readLock(path);
  if (body === undefined) return undefined;
  const info = await stat(path).catch(() => undefined);
  const stale = staleReason(body, now);
  return { path, body, ...(stale ? { stale } : {}), mtimeMs: info?.mtimeMs ?? 0 };
}

/** Removes a lock file only if it is (still) stale. */
export async function removeIfStale(path: string, now = new Date()): Promise<boolean> {
  const body = await readLock(path);
  if (body === undefined || !staleReason(body, now)) return false;
  return removeStale(path, body, () => now);
}

const sameLock = (a: LockBody | 'unreadable' | undefined, b: LockBody | 'unreadable') =>
  a !== undefined && (a === 'unreadable' || b === 'unreadable' ? a === b : a.owner_token === b.owner_token);

/**
 * Removes the stale lock `inspected` from `path`. Breaking a lock is the one racy step of
 * file locks, so it happens under a guard (`<path>.reclaim`, taken by an exclusive create):
 * only the guard's holder removes the lock, and only after reading it again and finding the
 * same stale lock. Without the guard, two reclaimers could each remove what the other just
 * created, and both would believe they hold it. A guard whose holder died is broken.
 */
async function removeStale(path: string, inspected: LockBody | 'unreadable', now: () => Date): Promise<boolean> {
  const guardPath = `${path}.reclaim`;
  const guard = newBody({ purpose: 'run_lock', resource: path, ttlMs: 10_000 }, now().toISOString());
  const temp = await writeAside(guardPath, guard);
  try {
    await link(temp, guardPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const other = await readLock(guardPath);
    if (other !== undefined && staleReason(other, now())) {
      await unlink(guardPath).catch(() => {});
    }
    return false; // someone else is reclaiming it: the caller tries the create again
  } finally {
    await unlink(temp).catch(() => {});
  }
  try {
    const current = await readLock(path);
    if (!sameLock(current, inspected) || !staleReason(current!, now())) return false;
    await unlink(path).catch(() => {});
    return true;
  } finally {
    await unlink(guardPath).catch(() => {});
  }
}
