// A pre-commit hook's cost: `gaps scan --staged` on a 10k-file repository with 50 staged files,
// against bare `node -e 0` (the floor of any Node CLI) and against `pre-commit run` with one
// trivial hook (the tool a hook user compares with; skipped when pre-commit is not installed —
// `apt-get install pre-commit` for the bench only). Measured alternately, so that both sides of
// a ratio see the same machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, timed } from './measure.ts';
import { settleIndex } from './settle-index.ts';

export interface HookBench {
  bin: string;
  work: string;
  runs: number;
  /** The generated 10k-file repository (cloned, never modified). */
  source: string;
  gitEnv: NodeJS.ProcessEnv;
}

/** Medians of commands run in turn (A B C A B C …) after one warm-up round. */
function alternate(commands: Record<string, () => number>, rounds: number): Record<string, number> {
  for (const run of Object.values(commands)) run();
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) for (const [name, run] of Object.entries(commands)) samples[name]!.push(run());
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

const hasPreCommit = () => spawnSync('pre-commit', ['--version'], { stdio: 'ignore' }).status === 0;

export function measureHooks(bench: HookBench): { rows: string[][]; verdicts: string[] } {
  const repo = join(bench.work, 'repo-10000-hook');
  rmSync(repo, { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', bench.source, repo], { env: bench.gitEnv });
  // 50 staged files: 40 edits and 10 new files, spread over the tree.
  for (let i = 0; i < 40; i++) {
    const n = i * 250;
    const path = join(repo, `pkg${Math.floor(n / 1000)}`, `mod${Math.floor(n / 50) % 20}`, `file${n}.${['ts', 'md', 'py', 'json', 'yaml'][n % 5]}`);
    writeFileSync(path, `// edited ${i}\n`, { flag: 'a' });
  }
  for (let i = 0; i < 10; i++) writeFileSync(join(repo, `pkg${i}`, `added${i}.ts`), `export const added = ${i};\n`);
  execFileSync('git', ['add', '-A'], { cwd: repo, env: bench.gitEnv });
  settleIndex(repo, bench.gitEnv);
  const staged = execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: repo, encoding: 'utf8' }).trim().split('\n').length;

  const env = { ...process.env };
  const commands: Record<string, () => number> = {
    node: () => timed(process.execPath, ['-e', '0'], repo, env),
    staged: () => timed(process.execPath, [bench.bin, 'gaps', 'scan', '--staged', '--format', 'text'], repo, env),
  };
  const preCommit = hasPreCommit();
  if (preCommit) {
    const config = join(bench.work, 'pre-commit-trivial.yaml');
    writeFileSync(config, 'repos:\n  - repo: local\n    hooks:\n      - id: trivial\n        name: trivial\n        entry: "true"\n        language: system\n');
    const preCommitEnv = { ...env, PRE_COMMIT_HOME: join(bench.work, 'pre-commit-home') };
    commands.preCommit = () => timed('pre-commit', ['run', '-c', config], repo, preCommitEnv);
  }
  const medians = alternate(commands, bench.runs * 2);
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  const ratio = medians.staged! / medians.node!;
  const rows = [[`10k files, ${staged} staged`, '`gaps scan --staged`', fmt(medians.staged!), '`node -e 0`', fmt(medians.node!), `${ratio.toFixed(2)}×`]];
  const verdicts = [`--staged within 2× of bare node start: ${ratio <= 2 ? 'yes' : 'NO'} (${ratio.toFixed(2)}×)`];
  if (preCommit) {
    rows.push([`10k files, ${staged} staged`, '`gaps scan --staged`', fmt(medians.staged!), '`pre-commit run`, one trivial hook', fmt(medians.preCommit!), `${(medians.staged! / medians.preCommit!).toFixed(2)}×`]);
    verdicts.push(`--staged faster than pre-commit run with one trivial hook: ${medians.staged! < medians.preCommit! ? 'yes' : 'NO'} (${fmt(medians.staged!)} against ${fmt(medians.preCommit!)})`);
  } else {
    verdicts.push('pre-commit is not installed: its row is skipped (apt-get install pre-commit for the bench)');
  }
  if (existsSync(repo)) rmSync(repo, { recursive: true, force: true });
  return { rows, verdicts };
}
