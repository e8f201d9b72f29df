import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as v from 'valibot';
import { readLock, staleReason } from '../lib/supervisor/lock-file.ts';
import { relativeInside } from '../lib/fs/run-layout.ts';
import { defineDetector, type DetectorContext, type Finding } from '../lib/registry/types.ts';

const LEGACY_LOCKS = ['.autopack/autopack.db-lock', 'autopack.db-lock'];
const JOURNAL = /\.(db|sqlite|sqlite3)-(journal|wal)$/;

/** A runs-dir file as shown in evidence: workspace-relative when inside, else `<runs>/…`. */
function runsPath(ctx: DetectorContext, file: string): string {
  return relativeInside(ctx.root, file) ?? `<runs>/${relative(ctx.runsDir, file).split('\\').join('/')}`;
}

async function staleRunLocks(ctx: DetectorContext): Promise<Array<{ path: string; reason: string }>> {
  const found: Array<{ path: string; reason: string }> = [];
  for (const folder of ['.locks', '.workspace_leases']) {
    const dir = join(ctx.runsDir, folder);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.lock')).sort()) {
      const body = await readLock(join(dir, name));
      const reason = body === undefined ? undefined : staleReason(body, ctx.clock.now());
      if (reason) found.push({ path: runsPath(ctx, join(dir, name)), reason });
    }
  }
  return found;
}

export default defineDetector({
  id: 'db_lock_contention',
  gap_type: 'db_lock_contention',
  title: 'Database lock contention',
  description: 'Leftover database locks: autopack.db-lock files, stale SQLite journals, and autopack run locks or leases whose holder is gone.',
  scope: 'repo',
  default: { risk: 'high', blocks_autopilot: true },
  options: v.strictObject({
    /** A SQLite journal or WAL untouched for this long is stale. */
    stale_minutes: v.optional(v.pipe(v.number(), v.minValue(0)), 30),
  }),
  messages: {
    db_lock: {
      title: 'Database lock file detected',
      params: ['name'],
      description: 'Database lock file exists: {name}',
      signals: ['Found {name}'],
      remediation: 'Clear stale lock file or wait for lock release',
    },
    stale_journal: {
      title: 'Stale SQLite journals: {count}',
      params: ['count', 'minutes'],
      description: 'Found {count} SQLite journal or WAL files untouched for over {minutes} minutes',
      signals: ['{count} journal files older than {minutes} minutes'],
      remediation: 'Make sure no process uses the database, then let SQLite recover it by opening it once',
      risk: 'medium',
      blocks_autopilot: false,
    },
    stale_run_lock: {
      title: 'Stale autopack locks or leases: {count}',
      params: ['count'],
      description: 'Found {count} run locks or workspace leases whose holder is gone',
      signals: ['{count} stale locks or leases'],
      remediation: 'Run `autopack gc --execute` to reclaim them',
      risk: 'medium',
      blocks_autopilot: false,
    },
  },
  remediation: [
    {
      action_type: 'file_delete',
      title: 'Clear database lock: {title}',
      description: 'Clear stale database lock file',
      risk_score: 0.7,
      risk_factors: ['Modifies database state', 'May disrupt other runs'],
      cost: { tokens: 50, time_seconds: 1 },
      // No rollback: a deleted lock cannot (and must not) be put back.
    },
  ],
  async detect(ctx) {
    const findings: Finding[] = [];
    for (const path of LEGACY_LOCKS) {
      if (await stat(join(ctx.root, path)).catch(() => undefined)) {
        const name = path.split('/').pop()!;
        findings.push({ message: 'db_lock', inputs: [path], params: { name }, evidence: { file_paths: [path] } });
      }
    }
    // Journals from the file list the scan already has: no walk of its own.
    const journals = (await ctx.files()).filter((path) => JOURNAL.test(path));
    const cutoff = ctx.clock.now().getTime() - ctx.options.stale_minutes * 60_000;
    const ages = await Promise.all(journals.map((path) => ctx.stat(path)));
    const stale = journals.filter((_, i) => (ages[i]?.mtimeMs ?? Infinity) < cutoff).sort();
    if (stale.length > 0) {
      findings.push({
        message: 'stale_journal',
        inputs: stale,
        params: { count: stale.length, minutes: ctx.options.stale_minutes },
        evidence: { file_paths: stale },
        estimated_actions: stale.length,
      });
    }
    const locks = await staleRunLocks(ctx);
    if (locks.length > 0) {
      findings.push({
        message: 'stale_run_lock',
        inputs: locks.map((lock) => lock.path),
        params: { count: locks.length },
        evidence: { file_paths: locks.map((lock) => lock.path) },
        signals: locks.map((lock) => `${lock.path}: ${lock.reason}`),
        estimated_actions: locks.length,
      });
    }
    return findings;
  },
});
