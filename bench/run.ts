// `npm run bench`: start-up and full-scan cost on generated repositories of 1k, 10k, 50k and 100k
// tracked files, against the floor of each (bare `node`, reading every tracked file once), the
// scan's peak memory, a pre-commit hook (bench/hooks.ts), an autopilot session (bench/session.ts),
// and the supervisor against a shell floor (bench/supervisor.ts).
// Prints the tables and writes them into bench/README.md.
// Options: --sizes 1000,10000 (subset), --runs N (repetitions, default 5), --no-write,
// --real DIR (also a clone of a real repository, e.g. vite: its scan with a warm fsck cache),
// --only scan | --only supervisor (one of the two tables; the other stays as it is),
// --bin PATH (the supervisor rows with another build of the CLI, to compare),
// --tmpfs (Linux, root: everything on a tmpfs in a private mount namespace, without disk noise).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureHooks } from './hooks.ts';
import { median } from './measure.ts';
import { measureSession } from './session.ts';
import { measureSupervisor } from './supervisor.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const work = join(root, 'bench/.work');
const bin = join(root, 'dist/cli/bin/autopack.js');
const rssHook = join(root, 'bench/max-rss.mjs');

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
const sizes = (option('sizes') ?? '1000,10000,50000,100000').split(',').map(Number);
// A clone of a real repository with long history (vite, say): its full scan against reading its files, fsck cache warm.
const realRepo = option('real');
const runs = Number(option('runs') ?? 5);
const writeReadme = !process.argv.includes('--no-write');
if (process.argv.includes('--tmpfs') && process.env.AUTOPACK_BENCH_TMPFS !== '1') {
  // Re-run inside a private mount namespace with a tmpfs over bench/.work; the repositories are generated there.
  const args = process.argv.slice(1).filter((arg) => arg !== '--tmpfs');
  const mount = 'mount -t tmpfs -o size=4g tmpfs "$1" && shift && exec "$@"';
  const inner = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', mount, 'sh', join(root, 'bench/.work'), process.execPath, ...process.execArgv, ...args], {
    stdio: 'inherit',
    env: { ...process.env, AUTOPACK_BENCH_TMPFS: '1' },
  });
  process.exit(inner.status ?? 1);
}
const only = option('only');
// Another build of the CLI for the supervisor rows (e.g. an older commit's dist/), to compare.
const supervisorBin = option('bin') ?? bin;
if (only !== undefined && only !== 'scan' && only !== 'supervisor') throw new Error('--only takes scan or supervisor');

const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

/** A repository shaped like a real project: nested folders, source, docs and tests, ~1.2 KB files. */
function generateRepo(files: number): string {
  const dir = join(work, `repo-${files}`);
  const marker = join(dir, '.bench-complete');
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env: gitEnv });
  const kinds = ['ts', 'md', 'py', 'json', 'yaml'];
  const line = 'export const value = "the quick brown fox jumps over the lazy dog";\n';
  for (let i = 0; i < files; i++) {
    const kind = kinds[i % kinds.length]!;
    const folder = join(dir, `pkg${Math.floor(i / 1000)}`, `mod${Math.floor(i / 50) % 20}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `file${i}.${kind}`), `// file ${i}\n${line.repeat(16 + (i % 8))}`);
  }
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config/baseline_policy.yaml'), 'version: 1\n');
  execFileSync('git', ['add', '-A'], { cwd: dir, env: gitEnv, maxBuffer: 1 << 28 });
  execFileSync('git', ['commit', '-q', '-m', 'bench'], { cwd: dir, env: gitEnv });
  writeFileSync(join(dir, '.git/info/exclude'), '.bench-complete\n', { flag: 'a' });
  writeFileSync(marker, '');
  return dir;
}

interface Timed {
  ms: number;
  stderr: string;
}

function timeOnce(command: string, args: string[], cwd = root): Timed {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: process.env, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stderr: result.stderr };
}

/** The scan process's peak resident memory (MB), the largest of three runs (git's children not included). */
function peakRss(scanArgs: string[], cwd: string): number {
  return Math.max(
    ...Array.from({ length: 3 }, () => {
      const { stderr } = timeOnce(process.execPath, ['--import', rssHook, ...scanArgs], cwd);
      return Number(/AUTOPACK_BENCH_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
    }),
  );
}

function measure(command: string, args: string[], cwd = root, repeat = runs): number {
  timeOnce(command, args, cwd); // warm-up: page cache, git's index
  return median(Array.from({ length: repeat }, () => timeOnce(command, args, cwd).ms));
}

if (!existsSync(bin)) throw new Error('dist/ is missing: run `npm run build` first');
mkdirSync(work, { recursive: true });

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}`;

function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows.map((row) => [...row, ...Array(header.length - row.length).fill('')])].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

function writeSection(marker: string, report: string): void {
  if (!writeReadme) return;
  const readmePath = join(root, 'bench/README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  writeFileSync(readmePath, readme.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${report}${end}`));
  process.stderr.write(`bench/README.md updated (${marker})\n`);
}

if (only !== 'supervisor') {
  const rows: string[][] = [];
  const verdicts: string[] = [];

  const bareNode = measure(process.execPath, ['-e', '0'], root, runs * 4);
  const version = measure(process.execPath, [bin, '--version'], root, runs * 4);
  rows.push(['start-up', '`autopack --version`', fmt(version), '`node -e 0`', fmt(bareNode), `${(version / bareNode).toFixed(2)}×`]);
  verdicts.push(`--version within 2× of bare node: ${version / bareNode <= 2 ? 'yes' : 'NO'} (${(version / bareNode).toFixed(2)}×)`);

  // Targets, as ratios to reading every tracked file once in the same run.
  const scanTargets: Record<number, number> = { 10000: 2.0, 50000: 1.8, 100000: 1.8 };
  for (const size of sizes) {
    process.stderr.write(`generating and measuring ${size} files…\n`);
    const repo = generateRepo(size);
    const readAll = measure('bash', ['-c', 'git ls-files -z | xargs -0 cat > /dev/null'], repo);
    const scanArgs = [bin, 'gaps', 'scan', '--workspace', repo, '--fail-on', 'never'];
    const scan = measure(process.execPath, scanArgs, repo);
    const rss = peakRss(scanArgs, repo);
    rows.push([`${size / 1000}k files`, 'full `gaps scan`', fmt(scan), '`git ls-files -z \\| xargs -0 cat`', fmt(readAll), `${(scan / readAll).toFixed(2)}×`, `${rss.toFixed(0)} MB`]);
    const target = scanTargets[size];
    if (target) verdicts.push(`${size / 1000}k-file scan within ${target.toFixed(1)}× of reading every file: ${scan / readAll <= target ? 'yes' : 'NO'} (${(scan / readAll).toFixed(2)}×)`);
    if (size === 100000) verdicts.push(`100k-file scan peak memory at most 150 MB: ${rss <= 150 ? 'yes' : 'NO'} (${rss.toFixed(0)} MB)`);
  }
  if (realRepo) {
    process.stderr.write(`measuring ${realRepo}…\n`);
    // The fsck verdict is cached under the runs dir by a scan that writes; later scans reuse it while the object store is unchanged.
    timeOnce(process.execPath, [bin, 'gaps', 'scan', '--write', '--fail-on', 'never'], realRepo);
    // A real tree has symlinks to folders, which cat refuses: those errors are not the floor's business.
    const readAll = measure('bash', ['-c', 'git ls-files -z | xargs -0 cat > /dev/null 2>&1; exit 0'], realRepo);
    const scanArgs = [bin, 'gaps', 'scan', '--fail-on', 'never'];
    const scan = measure(process.execPath, scanArgs, realRepo);
    const name = execFileSync('git', ['-C', realRepo, 'rev-parse', '--short=8', 'HEAD'], { encoding: 'utf8' }).trim();
    const files = execFileSync('git', ['-C', realRepo, 'ls-files'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n').length - 1;
    rows.push([`${basename(realRepo)} (${name}, ${files} files)`, 'full `gaps scan`, fsck cache warm', fmt(scan), '`git ls-files -z \\| xargs -0 cat`', fmt(readAll), `${(scan / readAll).toFixed(2)}×`, `${peakRss(scanArgs, realRepo).toFixed(0)} MB`]);
    verdicts.push(`${basename(realRepo)} scan within 3× of reading every file: ${scan / readAll <= 3 ? 'yes' : 'NO'} (${(scan / readAll).toFixed(2)}×)`);
  }
  if (sizes.includes(10000)) {
    process.stderr.write('measuring a hook and a session…\n');
    for (const part of [measureHooks({ bin, work, runs, source: generateRepo(10000), gitEnv }), measureSession({ bin, work, runs, source: generateRepo(10000), gitEnv })]) {
      rows.push(...part.rows);
      verdicts.push(...part.verdicts);
    }
  }
  const header = ['case', 'autopack', 'median', 'baseline', 'median', 'ratio', 'peak RSS'];
  const report = `${table(header, rows)}\n\n${verdicts.map((v) => `- ${v}`).join('\n')}\n\nMedians of ${runs} runs after a warm-up (start-up: ${runs * 4}); ${machine}; measured ${new Date().toISOString().slice(0, 10)}.\n`;
  process.stdout.write(`${report}\n`);
  writeSection('bench', report);
}

if (only !== 'scan') {
  const { rows, verdicts } = measureSupervisor({ bin: supervisorBin, work, runs, repoFor: generateRepo, gitEnv }, sizes.filter((size) => size <= 10000));
  const header = ['repository', 'supervisor', 'median', 'baseline', 'median', 'ratio'];
  const storage = process.env.AUTOPACK_BENCH_TMPFS === '1' ? 'repositories on a tmpfs' : 'repositories on disk';
  const report = `${table(header, rows)}\n\n${verdicts.map((v) => `- ${v}`).join('\n')}\n\nMedians of ${runs} alternating runs after a warm-up; ${storage}; ${machine}; measured ${new Date().toISOString().slice(0, 10)}.\n`;
  process.stdout.write(`${report}`);
  writeSection(process.env.AUTOPACK_BENCH_TMPFS === '1' ? 'bench-supervisor-tmpfs' : 'bench-supervisor', report);
}
