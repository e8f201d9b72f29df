import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/**
 * A run lock or a workspace lease: who holds it, and when it last proved to be alive. Files
 * are created whole and atomically (written aside, then hard-linked into place, which fails
 * when the name exists), never truncated, renewed by an atomic rename, and removed only by
 * their owner.
 */
export interface LockBody {
  owner_token: string;
  pid: number;
  host: string;
  purpose: 'run_lock' | 'workspace_lease';
  /** What it protects: a run id or a worktree path. */
  resource: string;
  created_at: string;
  heartbeat_at: string;
  ttl_ms: number;
}

export const DEFAULT_TTL_MS = 60_000;

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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

/**
 * Why a lock is stale, or undefined while its holder may be alive: unreadable, its pid is dead
 * on this host, or its heartbeat is older than its ttl. Older lock files (autopack's first
 * format, or hand-made ones) without a token are judged by pid and heartbeat too.
 */
export function staleReason(body: LockBody | 'unreadable' | Partial<LockBody>, now: Date, host = hostname()): string | undefined {
  if (body === 'unreadable') return 'unreadable lock file';
  if (typeof body.pid === 'number' && body.host === host && !isProcessAlive(body.pid)) return `holder pid ${body.pid} is not running`;
  const heartbeat = body.heartbeat_at ? Date.parse(body.heartbeat_at) : Number.NaN;
  if (Number.isFinite(heartbeat) && typeof body.ttl_ms === 'number' && heartbeat + body.ttl_ms < now.getTime()) {
    return `heartbeat expired at ${new Date(heartbeat + body.ttl_ms).toISOString()}`;
  }
  return undefined;
}

export function describeHolder(body: LockBody | 'unreadable'): string {
  return body === 'unreadable' ? 'an unreadable lock file' : `pid ${body.pid} on ${body.host} (since ${body.created_at}, heartbeat ${body.heartbeat_at})`;
}

async function writeAside(path: string, body: LockBody): Promise<string> {
  const temp = `${path}.${body.owner_token}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(temp, `${JSON.stringify(body, null, 2)}\n`, { flag: 'wx' });
  return temp;
}

export class HeldLock {
  constructor(
    readonly path: string,
    public body: LockBody,
  ) {}

  /** Moves the heartbeat forward; false when the file is no longer ours (it was reclaimed). */
  async renew(now = new Date()): Promise<boolean> {
    const current = await readLock(this.path);
    if (current === undefined || current === 'unreadable' || current.owner_token !== this.body.owner_token) return false;
    const next = { ...this.body, heartbeat_at: now.toISOString() };
    const temp = await writeAside(this.path, next);
    await rename(temp, this.path);
    this.body = next;
    return true;
  }

  /** Removes the file if (and only if) it is still ours. */
  async release(): Promise<boolean> {
    const current = await readLock(this.path);
    if (current === undefined || current === 'unreadable' || current.owner_token !== this.body.owner_token) return false;
    await unlink(this.path).catch(() => {});
    return true;
  }
}

export type AcquireResult = { ok: true; lock: HeldLock; reclaimed?: string } | { ok: false; holder: LockBody | 'unreadable'; reason: string };

/**
 * Takes the lock at `path` or reports who holds it. A stale lock (dead pid on this host,
 * expired heartbeat, unreadable) is reclaimed: renamed aside atomically, checked to be the one
 * inspected (a fresh lock renamed by mistake is put back), then the create is retried.
 */
export async function acquireLock(
  path: string,
  options: { purpose: LockBody['purpose']; resource: string; ttlMs?: number; now?: () => Date },
): Promise<AcquireResult> {
  const now = options.now ?? (() => new Date());
  await mkdir(dirname(path), { recursive: true });
  let reclaimed: string | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const stamp = now().toISOString();
    const body: LockBody = {
      owner_token: randomUUID(),
      pid: process.pid,
      host: hostname(),
      purpose: options.purpose,
      resource: options.resource,
      created_at: stamp,
      heartbeat_at: stamp,
      ttl_ms: options.ttlMs ?? DEFAULT_TTL_MS,
    };
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
    const aside = `${path}.stale-${Date.now()}-${randomUUID().slice(0, 8)}`;
    try {
      await rename(path, aside);
    } catch {
      continue; // someone else reclaimed it first
    }
    const moved = await readLock(aside);
    const sameOne = existing === 'unreadable' ? moved === 'unreadable' : moved !== undefined && moved !== 'unreadable' && moved.owner_token === existing.owner_token;
    if (!sameOne) {
      // We moved a lock taken after our inspection: put it back, unless the name is taken again.
      await link(aside, path).catch(() => {});
      await unlink(aside).catch(() => {});
      continue;
    }
    await unlink(aside).catch(() => {});
    reclaimed = stale;
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
  await unlink(path).catch(() => {});
  return true;
}
