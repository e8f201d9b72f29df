import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * What autopack's run locks and workspace leases record (DESIGN §9): who holds them and
 * when they last proved to be alive.
 */
export interface LockBody {
  pid?: number;
  host?: string;
  heartbeat_at?: string;
  ttl_ms?: number;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a lock or lease file is stale, or undefined while its holder may still be alive. */
export async function staleReason(file: string, now: Date): Promise<string | undefined> {
  let body: LockBody;
  try {
    body = JSON.parse(await readFile(file, 'utf8')) as LockBody;
  } catch {
    return 'unreadable lock file';
  }
  if (body === null || typeof body !== 'object') return 'unreadable lock file';
  if (typeof body.pid === 'number' && body.host === hostname() && !isProcessAlive(body.pid)) {
    return `holder pid ${body.pid} is not running`;
  }
  const heartbeat = body.heartbeat_at ? Date.parse(body.heartbeat_at) : Number.NaN;
  if (Number.isFinite(heartbeat) && typeof body.ttl_ms === 'number' && heartbeat + body.ttl_ms < now.getTime()) {
    return `heartbeat expired at ${new Date(heartbeat + body.ttl_ms).toISOString()}`;
  }
  return undefined;
}
