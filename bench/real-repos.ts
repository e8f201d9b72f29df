// `node --import tsx bench/real-repos.ts CLONE…`: autopack on real repositories, as a user meets
// it. For each clone (any git repository; it is never modified: the debris goes into a temporary
// copy made with `git clone`): a full scan of the clean checkout, then the same checkout with an
// agent's typical debris (and, first, a person's staged edit of a docs page, which must commit) — a note at the root, a non-UTF-8 text file, a 6 MB binary, conflict
// markers in a source file — scanned in full and staged. Prints a Markdown table; with `--write`
// puts it into bench/README.md between the real-repos markers.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'dist/cli/bin/autopack.js');
const clones = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (clones.length === 0) throw new Error('usage: bench/real-repos.ts CLONE… [--write]');

interface Scan {
  code: number;
  gaps: Array<{ gap_type: string; risk_classification: string; blocks_autopilot: boolean; evidence?: { file_paths?: string[] } }>;
  ms: number;
}

function scan(dir: string, extra: string[] = []): Scan {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, 'gaps', 'scan', ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${dir}: exit ${result.status}: ${result.stderr}`);
  return { code: result.status, gaps: JSON.parse(result.stdout).gaps, ms };
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
const describe = (gaps: Scan['gaps']) => gaps.map((gap) => `${gap.gap_type} (${gap.risk_classification}${gap.blocks_autopilot ? ', blocks' : ''})`).join('; ') || 'none';

/** The debris an agent leaves, dropped into a copy of the checkout. */
function addDebris(dir: string): string[] {
  const source = git(dir, 'ls-files', '*.js', '*.ts', '*.py', '*.go').split('\n').find((path) => path !== '')!;
  writeFileSync(join(dir, 'AGENT_NOTES.md'), '# What I did\n\n- things\n');
  writeFileSync(join(dir, 'notes-cp1252.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in cp1252
  writeFileSync(join(dir, 'model.bin'), Buffer.alloc(6 * 1024 * 1024, 7));
  writeFileSync(join(dir, source), `${readFileSync(join(dir, source), 'utf8')}\n<<<<<<< HEAD\nconst a = 1;\n=======\nconst a = 2;\n>>>>>>> agent\n`);
  return ['AGENT_NOTES.md', 'notes-cp1252.txt', 'model.bin', source];
}

const rows: string[][] = [];
for (const clone of clones) {
  const name = basename(clone);
  const commit = git(clone, 'rev-parse', '--short=8', 'HEAD');
  const files = git(clone, 'ls-files').split('\n').length;
  const clean = scan(clone);
  const copy = join(mkdtempSync(join(tmpdir(), 'autopack-real-')), name);
  try {
    execFileSync('git', ['clone', '-q', '--no-hardlinks', clone, copy]);
    // A person's docs edit, staged: it must commit.
    const doc = git(copy, 'ls-files', '*.md').split('\n').find((path) => path.includes('/')) ?? 'README.md';
    writeFileSync(join(copy, doc), `${readFileSync(join(copy, doc), 'utf8')}\nA typo fixed.\n`);
    git(copy, 'add', '--', doc);
    const docsEdit = scan(copy, ['--staged']);
    git(copy, 'reset', '-q', '--hard');
    const debris = addDebris(copy);
    const dirty = scan(copy);
    git(copy, 'add', '--', ...debris);
    const staged = scan(copy, ['--staged']);
    const found = (report: Scan) => ['root_clutter', 'windows_encoding_issue', 'memory_budget_cap_issue', 'git_state_corruption'].filter((type) => report.gaps.some((gap) => gap.gap_type === type)).length;
    rows.push([
      name,
      `\`${commit}\``,
      String(files),
      `${clean.code === 0 ? 'exit 0' : `**exit ${clean.code}**`}: ${describe(clean.gaps)}`,
      `exit ${docsEdit.code}`,
      `${found(dirty)}/4, exit ${dirty.code}`,
      `${found(staged)}/4, exit ${staged.code}`,
      `${clean.ms.toFixed(0)} ms / ${staged.ms.toFixed(0)} ms`,
    ]);
  } finally {
    rmSync(join(copy, '..'), { recursive: true, force: true });
  }
}

const header = ['repository', 'commit', 'files', 'clean checkout (full scan)', 'a docs edit, staged', 'debris found (full)', 'debris found (--staged)', 'full / staged'];
const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
const report = `${table}\n\nDefault scans (the full scans run any documentation check the repository has; none of these has one); debris: a root note, a non-UTF-8 text file, a 6 MB binary, conflict markers in a source file. Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.\n`;
process.stdout.write(report);
if (process.argv.includes('--write')) {
  const readmePath = join(root, 'bench/README.md');
  const readme = readFileSync(readmePath, 'utf8');
  writeFileSync(readmePath, readme.replace(/<!-- real-repos:start -->[\s\S]*<!-- real-repos:end -->/, `<!-- real-repos:start -->\n${report}<!-- real-repos:end -->`));
}
