// A deterministic fuzz corpus: every malformed variant of a valid config, anchor, gap report
// and plan (truncations, byte flips, invalid UTF-8, NUL bytes, duplicate keys, unknown tags,
// alias bombs, wrong types, unknown keys, deep nesting, huge numbers, FIFOs, symlinks, …) is
// refused by every command that loads that kind of file: exit 2, the file named on stderr, no
// stack trace, within a time limit. Variants that a random mutation left valid are run too
// (they must not crash) but are not counted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAnchor } from '../lib/anchor/create-anchor.ts';
import { runInProcess, type CliResult } from './helpers/cli.ts';
import { mutate, serialize, type Seed, type SeedKind, type Variant } from './helpers/fuzz-corpus.ts';
import { makeRepo, testEnv } from './helpers/git-fixture.ts';
import { withinMs } from './helpers/watchdog.ts';

const MIN_MALFORMED = 150;
const CASE_LIMIT_MS = 5000;
/** Loading a file never needs git; without it (a missing binary) each case takes a few ms, not a git spawn. */
const NO_GIT = '/nonexistent/autopack-fuzz/git';
const env = testEnv({ SOURCE_DATE_EPOCH: '1767225600' });
const repo = makeRepo({ files: { 'README.md': 'r\n', 'NOTES.md': 'n\n' } });
const fuzzDir = join(repo.dir, 'fuzz');
mkdirSync(fuzzDir);

const anchor = {
  ...createAnchor({ projectId: 'demo', input: 'keep the docs in sync', now: new Date('2026-01-01T00:00:00Z') }),
  updated_at: '2026-01-02T00:00:00Z',
};
anchor.pivot_intentions = {
  ...anchor.pivot_intentions,
  north_star: { desired_outcomes: ['Docs match the code'], success_signals: ['drift check passes'], non_goals: ['rewriting docs'] },
  budget_cost: { token_cap_global: 100000, token_cap_per_call: 5000, time_cap_seconds: 600, cost_escalation_policy: 'request_approval' },
};
writeFileSync(join(repo.dir, 'valid-anchor.json'), JSON.stringify(anchor, null, 2));
const scan = await runInProcess(['gaps', 'scan', '--fail-on', 'never', '--project-id', 'demo', '--only', 'root_clutter'], { cwd: repo.dir, env });
writeFileSync(join(repo.dir, 'valid-report.json'), scan.stdout);
const planned = await runInProcess(['plan', 'propose', '--anchor-path', 'valid-anchor.json', '--gap-report-path', 'valid-report.json'], { cwd: repo.dir, env });
const report = JSON.parse(scan.stdout) as Record<string, unknown>;
const plan = JSON.parse(planned.stdout) as Record<string, unknown>;

const config = {
  project_id: 'shop',
  runs_dir: '.autonomous_runs',
  fail_on: 'high',
  protected_paths: ['infra/', '*.tf'],
  exclude: ['vendor/**'],
  detectors: {
    root_clutter: { enabled: true, risk: 'medium', blocks_autopilot: false, options: { allow: ['README.md', 'CHANGELOG.md'] } },
    memory_budget_cap_issue: { options: { max_bytes: 100000 } },
  },
  checks: { doc_drift: [{ id: 'check_docs', run: ['python3', 'scripts/check_docs_drift.py'], timeout_s: 30, cwd: 'docs', title: 'Docs drift', risk: 'high' }] },
  plugins: [] as string[],
};

const SEEDS: Seed[] = [
  { name: 'config-yaml', kind: 'config', format: 'yaml', data: config },
  { name: 'config-json', kind: 'config', format: 'json', data: config },
  { name: 'anchor-json', kind: 'intention_anchor_v2', format: 'json', data: anchor },
  { name: 'anchor-yaml', kind: 'intention_anchor_v2', format: 'yaml', data: anchor },
  { name: 'report-json', kind: 'gap_report_v1', format: 'json', data: report },
  { name: 'plan-json', kind: 'plan_proposal_v1', format: 'json', data: plan },
];

/** The commands that load each kind of file. */
const COMMANDS: Record<SeedKind, (file: string) => string[][]> = {
  config: (file) => [['validate', file, '--kind', 'config'], ['gaps', 'scan', '--config', file, '--only', 'root_clutter', '--fail-on', 'never']],
  intention_anchor_v2: (file) => [['anchor', 'validate', file], ['plan', 'propose', '--anchor-path', file, '--gap-report-path', 'valid-report.json']],
  gap_report_v1: (file) => [['plan', 'propose', '--gap-report-path', file, '--anchor-path', 'valid-anchor.json'], ['validate', file, '--kind', 'gap_report_v1']],
  plan_proposal_v1: (file) => [['validate', file, '--kind', 'plan_proposal_v1']],
};

function materialize(path: string, variant: Variant): void {
  const { content } = variant;
  if (content instanceof Uint8Array) return writeFileSync(path, content);
  switch (content.special) {
    case 'fifo':
      return void execFileSync('mkfifo', [path]);
    case 'folder':
      return mkdirSync(path);
    case 'symlink_to_folder':
      return symlinkSync(repo.dir, path);
    case 'symlink_to_dev_zero':
      return symlinkSync('/dev/zero', path);
    case 'dangling_symlink':
      return symlinkSync(join(repo.dir, 'no-such-file'), path);
    case 'sparse_giant':
      writeFileSync(path, '');
      return truncateSync(path, 17 * 1024 * 1024);
  }
}

/** What is wrong with one command's outcome on one variant, if anything. */
function problems(variant: Variant, display: string, args: string[], result: CliResult): string[] {
  const found: string[] = [];
  const where = `${display} (${variant.mutation}) via \`${args.join(' ')}\``;
  if (/\n\s+at |unexpected error|internal error/i.test(result.stderr)) found.push(`${where}: stack trace or internal error:\n${result.stderr}`);
  if (!variant.malformed) {
    if (result.code !== 0 && result.code !== 2) found.push(`${where}: exit ${result.code} on a still-valid file:\n${result.stderr}`);
    return found;
  }
  if (result.code !== 2) found.push(`${where}: exit ${result.code}, expected 2 (accepted silently?)\n${result.stderr}`);
  if (!result.stderr.includes(display)) found.push(`${where}: stderr does not name the file:\n${result.stderr}`);
  if (variant.expect && !variant.expect.test(result.stderr)) found.push(`${where}: stderr does not match ${variant.expect}:\n${result.stderr}`);
  if ((args[0] === 'plan' || args[0] === 'gaps') && result.stdout !== '') found.push(`${where}: wrote to stdout`);
  return found;
}

const totals: string[] = [];
const slow: Array<[number, string]> = [];
const started = Date.now();

for (const [index, seed] of SEEDS.entries()) {
  test(`${seed.name}: at least ${MIN_MALFORMED} malformed variants, each refused by every loader`, async () => {
    const ext = seed.format === 'json' ? 'json' : 'yaml';
    // The seed itself is valid everywhere.
    writeFileSync(join(fuzzDir, `seed.${ext}`), serialize(seed, seed.data));
    for (const args of COMMANDS[seed.kind](`fuzz/seed.${ext}`)) {
      const result = await runInProcess(args, { cwd: repo.dir, env });
      assert.is(result.code, 0, `seed via ${args.join(' ')}: ${result.stderr}`);
    }
    const variants = mutate(seed, 0x5eed + index);
    const malformed = variants.filter((variant) => variant.malformed).length;
    assert.ok(malformed >= MIN_MALFORMED, `${seed.name}: only ${malformed} malformed variants`);
    const failures: string[] = [];
    const seedStarted = Date.now();
    for (const [number, variant] of variants.entries()) {
      const display = `fuzz/${seed.name}-${String(number).padStart(3, '0')}-${variant.mutation}.${ext}`;
      const path = join(repo.dir, display);
      materialize(path, variant);
      const caseStarted = performance.now();
      try {
        for (const args of COMMANDS[seed.kind](display)) {
          const run = () => runInProcess(args, { cwd: repo.dir, env, gitBin: NO_GIT });
          const result = await withinMs(CASE_LIMIT_MS, `${display} via ${args.join(' ')}`, run, [path]);
          failures.push(...problems(variant, display, args, result));
        }
      } finally {
        rmSync(path, { recursive: true, force: true });
        if (process.env.FUZZ_PROFILE) slow.push([performance.now() - caseStarted, display]);
      }
    }
    totals.push(`${seed.name}: ${malformed} malformed + ${variants.length - malformed} still valid, ${Date.now() - seedStarted} ms`);
    assert.ok(failures.length === 0, `${failures.length} failure(s):\n${failures.slice(0, 8).join('\n\n')}`);
  });
}

test('corpus summary', () => {
  process.stdout.write(`\n${totals.join('\n')}\ntotal ${Date.now() - started} ms\n`);
  if (process.env.FUZZ_PROFILE) process.stdout.write(`${slow.sort((a, b) => b[0] - a[0]).slice(0, 15).map(([ms, name]) => `${ms.toFixed(0)} ms ${name}`).join('\n')}\n`);
});

test.run();
