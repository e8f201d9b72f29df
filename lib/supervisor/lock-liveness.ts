import { hostname } from 'node:os';
import type { LockBody } from './lock-file.ts';
import { bootId, isProcessAlive } from './process-identity.ts';

/** The processes a lock names, each with its recorded start time when there is one. */
function holders(body: Partial<LockBody>): Array<{ role: string; pid: number; start?: string }> {
  const found: Array<{ role: string; pid: number; start?: string }> = [];
  const add = (role: string, pid: unknown, start: unknown) => {
    if (typeof pid !== 'number' || found.some((holder) => holder.pid === pid)) return;
    found.push({ role, pid, ...(typeof start === 'string' ? { start } : {}) });
  };
  add('supervisor', body.supervisor_pid, body.supervisor_start);
  add('worker', body.worker_pid, body.worker_start);
  add('holder', body.pid, body.pid === body.supervisor_pid ? body.supervisor_start : undefined);
  return found;
}

/**
 * Why a lock is stale, or undefined while it is held. On this host a lock is held while any of
 * its processes (supervisor, worker) runs, however old its heartbeat: a busy or blocked worker
 * never loses its run. A lock of another host is judged by its heartbeat, which the supervisor
 * renews every third of the ttl. Unreadable files are stale. Older lock files (without the
 * supervisor and worker pids, or hand-made ones) are judged by their pid and heartbeat.
 */
export function staleReason(body: LockBody | 'unreadable' | Partial<LockBody>, now: Date, host = hostname()): string | undefined {
  if (body === 'unreadable') return 'unreadable lock file';
  const pids = holders(body);
  if (body.host === host && pids.length > 0) {
    const booted = bootId();
    if (body.boot_id && booted && body.boot_id !== booted) return 'its holder ran before this host restarted';
    if (pids.some((holder) => isProcessAlive(holder.pid, holder.start))) return undefined;
    return pids.length === 1 ? `holder pid ${pids[0]!.pid} is not running` : `none of its processes is running (${pids.map((h) => `${h.role} pid ${h.pid}`).join(', ')})`;
  }
  const heartbeat = body.heartbeat_at ? Date.parse(body.heartbeat_at) : Number.NaN;
  if (Number.isFinite(heartbeat) && typeof body.ttl_ms === 'number' && heartbeat + body.ttl_ms < now.getTime()) {
    return `heartbeat expired at ${new Date(heartbeat + body.ttl_ms).toISOString()}`;
  }
  return undefined;
}

export function describeHolder(body: LockBody | 'unreadable'): string {
  if (body === 'unreadable') return 'an unreadable lock file';
  const worker = typeof body.worker_pid === 'number' ? `worker pid ${body.worker_pid}, ` : '';
  return `pid ${body.pid} on ${body.host} (${worker}since ${body.created_at}, heartbeat ${body.heartbeat_at})`;
}

