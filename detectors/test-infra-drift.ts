import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { defineDetector, type DetectorContext, type Finding } from '../lib/registry/types.ts';

interface CacheRead {
  file: string;
  failed: string[];
  mtimeMs: number;
}

/** A cache file as JSON, read without following symlinks (caches are ignored files, never trusted). */
async function readJson(ctx: DetectorContext, file: string): Promise<{ data: unknown; mtimeMs: number } | undefined> {
  const info = await ctx.stat(file);
  const bytes = info && (await ctx.readFile(file));
  if (!info || !bytes) return undefined;
  try {
    return { data: JSON.parse(new TextDecoder().decode(bytes)), mtimeMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}

/** pytest's `lastfailed`: an object whose keys are the node ids that failed last time. */
async function readPytest(ctx: DetectorContext): Promise<CacheRead | undefined> {
  const file = '.pytest_cache/v/cache/lastfailed';
  const read = await readJson(ctx, file);
  if (!read || read.data === null || typeof read.data !== 'object' || Array.isArray(read.data)) return undefined;
  const failed = Object.entries(read.data as Record<string, unknown>).filter(([, value]) => Boolean(value)).map(([key]) => key);
  return failed.length > 0 ? { file, failed, mtimeMs: read.mtimeMs } : undefined;
}

/** vitest's results cache: `{version, results: [[":path", {failed, duration}], …]}` (or an object). */
async function readVitest(ctx: DetectorContext): Promise<CacheRead | undefined> {
  const base = 'node_modules/.vite/vitest';
  const candidates = [`${base}/results.json`];
  try {
    for (const entry of await readdir(join(ctx.root, base), { withFileTypes: true })) {
      if (entry.isDirectory()) candidates.push(`${base}/${entry.name}/results.json`);
    }
  } catch {
    return undefined;
  }
  const failed = new Set<string>();
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const file of candidates.sort()) {
    const read = await readJson(ctx, file);
    const results = (read?.data as { results?: unknown } | undefined)?.results;
    if (!read || !results) continue;
    const entries = Array.isArray(results) ? results : Object.entries(results as Record<string, unknown>);
    for (const entry of entries) {
      if (!Array.isArray(entry)) continue;
      const [key, value] = entry as [unknown, unknown];
      if (typeof key === 'string' && (value as { failed?: unknown } | null)?.failed === true) failed.add(key.replace(/^:/, ''));
    }
    if (!newest || read.mtimeMs > newest.mtimeMs) newest = { file, mtimeMs: read.mtimeMs };
  }
  return failed.size > 0 && newest ? { file: newest.file, failed: [...failed], mtimeMs: newest.mtimeMs } : undefined;
}

async function headCommitMs(ctx: DetectorContext): Promise<number | undefined> {
  if (!ctx.repo.hasCommits) return undefined;
  const result = await ctx.git.run(['log', '-1', '--format=%ct', 'HEAD']);
  const seconds = Number(result.stdout.trim());
  return result.exit_code === 0 && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

function toFinding(runner: 'pytest' | 'vitest', cache: CacheRead, headMs: number | undefined): Finding {
  // A cache older than the last commit may describe code that no longer exists.
  const stale = headMs !== undefined && cache.mtimeMs < headMs;
  return {
    message: `${runner}_${stale ? 'stale' : 'fresh'}`,
    inputs: cache.failed,
    params: { count: cache.failed.length, cache: cache.file },
    evidence: { test_names: cache.failed, file_paths: [cache.file] },
    signals: [
      `Cache written ${new Date(Math.floor(cache.mtimeMs / 1000) * 1000).toISOString()}` +
        (headMs === undefined ? '' : `, last commit ${new Date(headMs).toISOString()}`),
    ],
    estimated_actions: cache.failed.length,
  };
}

const STALE_NOTE = 'The cache is older than the last commit: re-run the tests before trusting it';

export default defineDetector({
  id: 'test_infra_drift',
  gap_type: 'test_infra_drift',
  title: 'Test infrastructure drift',
  description: 'Tests that failed in the last recorded run (pytest lastfailed, vitest results cache), with the age of that record.',
  scope: 'repo',
  default: { risk: 'high', blocks_autopilot: true },
  options: v.strictObject({}),
  messages: {
    pytest_fresh: {
      title: 'Previously failed tests: {count}',
      params: ['count'],
      description: 'Found {count} previously failed tests in pytest cache',
      signals: ['pytest lastfailed cache has {count} entries'],
      remediation: 'Re-run tests to verify current status, fix failures',
    },
    pytest_stale: {
      title: 'Previously failed tests: {count}',
      params: ['count'],
      description: 'Found {count} previously failed tests in a pytest cache older than the last commit',
      signals: ['pytest lastfailed cache has {count} entries', STALE_NOTE],
      remediation: 'Re-run tests to verify current status, fix failures',
      risk: 'medium',
      blocks_autopilot: false,
    },
    vitest_fresh: {
      title: 'Previously failed test files: {count}',
      params: ['count'],
      description: 'Found {count} failed test files in the vitest results cache',
      signals: ['vitest results cache has {count} failed files'],
      remediation: 'Re-run tests to verify current status, fix failures',
    },
    vitest_stale: {
      title: 'Previously failed test files: {count}',
      params: ['count'],
      description: 'Found {count} failed test files in a vitest results cache older than the last commit',
      signals: ['vitest results cache has {count} failed files', STALE_NOTE],
      remediation: 'Re-run tests to verify current status, fix failures',
      risk: 'medium',
      blocks_autopilot: false,
    },
  },
  remediation: [
    {
      action_type: 'test_fix',
      title: 'Fix failing tests: {title}',
      description: 'Re-run and fix failed tests',
      risk_score: 0.5,
      risk_factors: ['Modifies tests/', 'May require code changes'],
      cost: { tokens: 2000, time_seconds: 60 },
      command: (gap) => ((gap.evidence?.file_paths ?? []).some((path) => path.includes('vitest')) ? 'npx vitest run' : 'pytest -v --tb=short'),
    },
  ],
  async detect(ctx) {
    const [pytest, vitest] = await Promise.all([readPytest(ctx), readVitest(ctx)]);
    // The commit time matters only when there is a cache to compare it with.
    const headMs = pytest || vitest ? await headCommitMs(ctx) : undefined;
    const findings: Finding[] = [];
    if (pytest) findings.push(toFinding('pytest', pytest, headMs));
    if (vitest) findings.push(toFinding('vitest', vitest, headMs));
    return findings;
  },
});
