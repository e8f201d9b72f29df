// The supervisor against a shell floor: N runs of one command on N workers (worktrees on their
// own branches, run locks, leases, forked workers, work inspection, removal) against a bash
// script that adds the same N worktrees in parallel, runs the same command in each, then
// removes them. And autopilot workers: four runs on four workers against four on two.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, timed } from './measure.ts';

export interface SupervisorBench {
  bin: string;
  work: string;
  runs: number;
  repoFor(size: number): string;
  gitEnv: NodeJS.ProcessEnv;
}

/** A command that does almost nothing (the supervisor's own cost shows), and one that stands for an agent's step. */
const COMMANDS = [
  { command: 'git status --porcelain', counts: [4, 8] },
  { command: 'sleep 2', counts: [8] },
];

/** No worktree, branch or run state left from an earlier measurement. */
function reset(repo: string, env: NodeJS.ProcessEnv): void {
  execFileSync('git', ['worktree', 'prune'], { cwd: repo, env });
  for (const worktree of execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo, env, encoding: 'utf8' }).split('\n')) {
    const path = worktree.startsWith('worktree ') ? worktree.slice(9) : '';
    if (path && path !== repo) execFileSync('git', ['worktree', 'remove', '--force', '--force', path], { cwd: repo, env });
  }
  const branches = execFileSync('git', ['for-each-ref', '--format=%(refname:short)', 'refs/heads/floor/', 'refs/heads/autopack/'], { cwd: repo, env, encoding: 'utf8' }).split('\n').filter(Boolean);
  if (branches.length > 0) execFileSync('git', ['branch', '-q', '-D', ...branches], { cwd: repo, env });
  for (const folder of ['.autonomous_runs', '.floor']) rmSync(join(repo, folder), { recursive: true, force: true });
}

/**
 * The floor: what any parallel runner must do at least, as plain git in bash. The worktrees
 * are registered one by one (git fails when two `worktree add` run at once: each reads the
 * other's half-made admin folder), checked out in parallel, the command run in each in
 * parallel, then all removed in parallel, with their branches.
 */
function floorScript(n: number, command: string): string {
  const ids = Array.from({ length: n }, (_, i) => `f${i}`).join(' ');
  const parallel = (body: string) => `pids=""; for i in $ids; do ${body} & pids="$pids $!"; done; for p in $pids; do wait $p; done`;
  return [
    'set -e',
    `ids="${ids}"`,
    'for i in $ids; do git worktree add -q --no-checkout -b floor/$i .floor/$i HEAD; done',
    parallel('git -C .floor/$i reset -q --hard'),
    parallel(`(cd .floor/$i && ${command} > /dev/null)`),
    parallel('git worktree remove .floor/$i'),
    'git branch -q -D $(for i in $ids; do echo floor/$i; done)',
  ].join('\n');
}

export function measureSupervisor(options: SupervisorBench, sizes: number[]): { rows: string[][]; verdicts: string[] } {
  const rows: string[][] = [];
  const verdicts: string[] = [];
  const env = options.gitEnv;
  const anchor = join(options.work, 'parallel-anchor.json');
  writeFileSync(anchor, JSON.stringify({ format_version: 'v2', project_id: 'bench', created_at: '2026-01-01T00:00:00Z', raw_input_digest: '0123456789abcdef', pivot_intentions: { parallelism_isolation: { allowed: true, isolation_model: 'four_layer', max_concurrent_runs: 16 } } }));
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  const supervise = (n: number, workers: number, command?: string) => [
    options.bin, 'autopilot', 'supervise', '--run-ids', Array.from({ length: n }, (_, i) => `b${i}`).join(','), '--workers', String(workers),
    '--anchor-path', anchor, '--enable', ...(command ? ['--exec', command] : []),
  ];
  for (const size of sizes) {
    const repo = options.repoFor(size);
    for (const { command, counts } of COMMANDS) {
      for (const n of counts) {
        process.stderr.write(`supervisor: ${n} × ${command} on ${n} workers, ${size} files…\n`);
        const floor: number[] = [];
        const supervised: number[] = [];
        reset(repo, env);
        // Warm-up, then the two alternate, so that drift on a busy machine hits both alike.
        timed('bash', ['-c', floorScript(n, command)], repo, env);
        timed(process.execPath, supervise(n, n, command), repo, env);
        for (let i = 0; i < options.runs; i++) {
          reset(repo, env);
          floor.push(timed('bash', ['-c', floorScript(n, command)], repo, env));
          reset(repo, env);
          supervised.push(timed(process.execPath, supervise(n, n, command), repo, env));
        }
        const [f, s] = [median(floor), median(supervised)];
        rows.push([`${size / 1000}k files`, `${n} × \`${command}\` on ${n} workers`, fmt(s), `shell: the same ${n} worktrees and command`, fmt(f), `${(s / f).toFixed(2)}× (${s >= f ? '+' : '−'}${fmt(Math.abs(s - f))})`]);
        verdicts.push(`${n} × ${command}, ${size / 1000}k files: within 1.2× of the shell floor: ${s / f <= 1.2 ? 'yes' : 'NO'} (${(s / f).toFixed(2)}×)`);
      }
    }
  }
  {
    const size = sizes[0] ?? 1000;
    const repo = options.repoFor(size);
    process.stderr.write(`supervisor: 4 autopilot runs on 4 and on 2 workers, ${size} files…\n`);
    const on: Record<2 | 4, number[]> = { 2: [], 4: [] };
    reset(repo, env);
    timed(process.execPath, supervise(4, 4), repo, env);
    for (let i = 0; i < options.runs; i++) {
      for (const workers of [4, 2] as const) {
        reset(repo, env);
        on[workers].push(timed(process.execPath, supervise(4, workers), repo, env));
      }
    }
    const [four, two] = [median(on[4]), median(on[2])];
    rows.push([`${size / 1000}k files`, '4 autopilot runs on 4 workers', fmt(four), '4 autopilot runs on 2 workers', fmt(two), `${(four / two).toFixed(2)}×`]);
    verdicts.push(`4 autopilot runs: 4 workers beat 2: ${four < two ? 'yes' : 'NO'} (${fmt(four)} against ${fmt(two)})`);
    reset(repo, env);
  }
  return { rows, verdicts };
}
