// The scan as a whole: determinism, ordering, evidence rules, failing or slow plugins,
// concurrency, and workspaces without git.
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toJsonText } from '../lib/fs/atomic-write.ts';
import { GIT_UNAVAILABLE_SENTINEL } from '../lib/git/digest.ts';
import { reportId } from '../lib/gaps/ids.ts';
import { scanGaps } from '../lib/gaps/scan-gaps.ts';
import { fixedClock } from '../lib/util/clock.ts';
import { makeRepo, tempDir, testEnv, writeTree } from './helpers/git-fixture.ts';

const CONFLICT_TEXT = '<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n';
const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));

function messyRepo() {
  const files: Record<string, string> = { 'README.md': '# r\n', 'docs/a.md': 'a\n', '.gitignore': 'ignored/\n' };
  for (let i = 0; i < 14; i++) files[`NOTE_${String(i).padStart(2, '0')}.md`] = `${i}\n`;
  return makeRepo({
    files,
    worktree: { 'docs/a.md': 'changed\n', 'zz-untracked.md': 'u\n', 'ignored/x.md': 'x\n', 'node_modules/pkg/README.md': 'vendored\n', 'bad.md': Buffer.from([0x92, 0x0a]) },
  });
}

test('two scans of one state give the same content; with a fixed clock the same bytes', async () => {
  const repo = messyRepo();
  const first = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock });
  const second = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock });
  assert.is(toJsonText(first.report), toJsonText(second.report));
  const live = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv() });
  const strip = (r: typeof live.report) => ({ ...r, generated_at: '', metadata: { ...r.metadata, scan_duration_ms: 0 } });
  assert.equal(strip(live.report), strip(first.report));
  assert.is(first.report.metadata!.scan_duration_ms, 0);
  assert.is(first.report.generated_at, '2026-03-01T00:00:00.000Z');
});

test('gaps are ordered by severity, then detector, then id; report id and summary are derived', async () => {
  const repo = messyRepo();
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock });
  const rank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;
  for (let i = 1; i < report.gaps.length; i++) {
    const [a, b] = [report.gaps[i - 1]!, report.gaps[i]!];
    assert.ok(rank[a.risk_classification] < rank[b.risk_classification] || (rank[a.risk_classification] === rank[b.risk_classification] && a.gap_type <= b.gap_type));
  }
  assert.equal(report.gaps.map((gap) => gap.gap_type), ['protected_path_violation', 'windows_encoding_issue', 'root_clutter']);
  assert.is(report.report_id, reportId(report.workspace_state_digest!, report.gaps.map((gap) => gap.gap_id)));
  assert.equal(report.summary, { total_gaps: 3, critical_gaps: 0, high_gaps: 2, medium_gaps: 1, low_gaps: 0, autopilot_blockers: 2 });
});

test('evidence is sorted, deduplicated and capped at 10; counts use the full number; ignored and vendored files do not count', async () => {
  const repo = messyRepo();
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock, only: ['root_clutter'] });
  const gap = report.gaps[0]!;
  assert.is(gap.title, 'Root clutter: 16 files should be in docs/');
  assert.is(gap.safe_remediation!.estimated_actions, 16);
  assert.equal(gap.evidence!.file_paths, ['NOTE_00.md', 'NOTE_01.md', 'NOTE_02.md', 'NOTE_03.md', 'NOTE_04.md', 'NOTE_05.md', 'NOTE_06.md', 'NOTE_07.md', 'NOTE_08.md', 'NOTE_09.md']);
  assert.is(gap.evidence!.file_paths_total, 16, 'the cut is recorded');
});

test('a detector that throws becomes an `unknown` gap and the scan goes on; so does one that returns garbage', async () => {
  const repo = makeRepo({
    files: {
      'NOTES.md': 'n\n',
      'autopack.config.yaml': 'plugins: [./boom.mjs, ./garbage.mjs]\n',
      'boom.mjs': `export default { id: 'boom', gap_type: 'boom', title: 'Boom', description: 'd', scope: 'repo',
        default: { risk: 'low', blocks_autopilot: false }, messages: { m: { title: 't', description: 'd', signals: [], remediation: 'r' } },
        detect(ctx) { throw new Error('kaboom in ' + ctx.root + ' token=abc123'); } };`,
      'garbage.mjs': `export default { id: 'garbage', gap_type: 'garbage', title: 'G', description: 'd', scope: 'repo',
        default: { risk: 'low', blocks_autopilot: false }, messages: { m: { title: 't', description: 'd', signals: [], remediation: 'r' } },
        detect() { return 'not findings'; } };`,
    },
  });
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock });
  const unknown = report.gaps.filter((gap) => gap.gap_type === 'unknown');
  assert.equal(unknown.map((gap) => gap.title).sort(), ['Detector boom failed', 'Detector garbage returned invalid findings']);
  const boom = unknown.find((gap) => gap.title === 'Detector boom failed')!;
  assert.match(boom.description!, /kaboom in <workspace> token=\[REDACTED\]/);
  assert.not.ok(boom.description!.includes(repo.dir));
  assert.is(boom.blocks_autopilot, true);
  assert.ok(report.gaps.some((gap) => gap.gap_type === 'root_clutter'), 'the other detectors still ran');
});

test('detectors run concurrently', async () => {
  // Each detector waits until the other has started: run one after the other, they would wait
  // forever. They meet through marker files (each configured plugin runs in a thread of its own).
  const meeting = tempDir();
  const rendezvous = (me: string, other: string) => `
    import { existsSync, writeFileSync } from 'node:fs';
    export default { id: '${me}', gap_type: '${me}', title: 't', description: 'd', scope: 'repo',
      default: { risk: 'low', blocks_autopilot: false }, messages: { m: { title: 't', description: 'd', signals: [], remediation: 'r' } },
      async detect() {
        writeFileSync(${JSON.stringify(meeting)} + '/${me}', '');
        const deadline = Date.now() + 5000;
        while (!existsSync(${JSON.stringify(meeting)} + '/${other}')) {
          if (Date.now() > deadline) throw new Error('ran alone: not concurrent');
          await new Promise((r) => setTimeout(r, 5));
        }
        return [{ inputs: ['${me}'] }];
      } };`;
  const repo = makeRepo({
    files: { 'autopack.config.yaml': 'plugins: [./a.mjs, ./b.mjs]\n', 'a.mjs': rendezvous('rv_a', 'rv_b'), 'b.mjs': rendezvous('rv_b', 'rv_a') },
  });
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock, only: ['rv_a', 'rv_b'] });
  assert.equal(report.gaps.map((gap) => gap.gap_type), ['rv_a', 'rv_b']);
});

test('a file whose name is not UTF-8 is reported for its name, never silently left unread', async () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n' } });
  writeFileSync(Buffer.concat([Buffer.from(join(repo.dir, 'src')), Buffer.from([0xff]), Buffer.from('name.py')]), CONFLICT_TEXT);
  for (const scope of [{ mode: 'full' as const }, { mode: 'staged' as const }]) {
    if (scope.mode === 'staged') repo.git('add', '-A');
    const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock, scope });
    const named = report.gaps.find((gap) => gap.message_id === 'undecodable_names');
    assert.ok(named, `${scope.mode}: the name is reported`);
    assert.equal(named!.evidence!.file_paths, ['src\uFFFDname.py']);
  }
});

test("a file where a detector expects a folder (a root file named config) is no failure; git's own folder is no workspace", async () => {
  const repo = makeRepo({ files: { 'README.md': '# r\n', config: 'not a folder\n' } });
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock });
  assert.equal(report.gaps.filter((gap) => gap.gap_type === 'unknown'), [], 'no detector failed');
  for (const inside of [join(repo.dir, '.git'), join(repo.dir, '.git/objects')]) {
    const error = await scanGaps({ workspace: inside, cwd: inside, env: testEnv(), clock }).then(() => undefined, (failure: unknown) => failure as Error);
    assert.match(error?.message ?? '', /is inside a git directory \(a \.git folder or a bare repository\), which has no work tree to scan/);
  }
  const bare = tempDir();
  execFileSync('git', ['init', '-q', '--bare', bare]);
  const error = await scanGaps({ workspace: bare, cwd: bare, env: testEnv(), clock }).then(() => undefined, (failure: unknown) => failure as Error);
  assert.match(error?.message ?? '', /is inside a git directory/);
});

test('a folder that is not a repository: walked file list, git detectors skipped with notes, the not-a-repo digest', async () => {
  const dir = tempDir();
  writeTree(dir, { 'NOTES.md': 'n\n', 'node_modules/x/NOTES.md': 'vendored\n', 'docs/a.md': 'a\n' });
  const { report } = await scanGaps({ workspace: dir, cwd: dir, env: testEnv(), clock });
  assert.is(report.workspace_state_digest, '7ad6abec8ea0bd54');
  assert.equal(report.gaps.map((gap) => gap.gap_type), ['root_clutter']);
  assert.equal(report.metadata!.skipped_detectors!.map((s) => s.detector), ['baseline_policy_drift', 'git_state_corruption', 'protected_path_violation', 'sot_duplicate']);
  const notes = report.metadata!.notes!.join('\n');
  assert.match(notes, /not a git repository/);
  assert.match(notes, /file list from a directory walk/);
});

test('git missing: the sentinel digest, git detectors skipped, no crash', async () => {
  const repo = makeRepo({ files: { 'NOTES.md': 'n\n' } });
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock, gitBin: 'git-is-not-installed' });
  assert.is(report.workspace_state_digest, GIT_UNAVAILABLE_SENTINEL);
  assert.match(report.metadata!.notes!.join('\n'), /git unavailable: Program not found: git-is-not-installed/);
  assert.equal(report.metadata!.skipped_detectors!.map((s) => s.detector), ['baseline_policy_drift', 'git_state_corruption', 'protected_path_violation', 'sot_duplicate']);
  assert.ok(report.gaps.some((gap) => gap.gap_type === 'root_clutter'), 'the walk still finds files');
});

test('a workspace below the repository top: paths relative to the workspace', async () => {
  const repo = makeRepo({ files: { 'pkg/NOTES.md': 'n\n', 'pkg/docs/a.md': 'a\n', 'other/docs/b.md': 'b\n' } });
  writeFileSync(join(repo.dir, 'pkg/docs/a.md'), 'changed\n');
  writeFileSync(join(repo.dir, 'other/docs/b.md'), 'changed\n');
  const { report } = await scanGaps({ workspace: join(repo.dir, 'pkg'), cwd: repo.dir, env: testEnv(), clock, only: ['root_clutter', 'protected_path_violation'] });
  assert.equal(report.gaps.map((gap) => gap.evidence!.file_paths), [['docs/a.md'], ['NOTES.md']]);
  assert.is(report.project_id, 'pkg');
});

test('symlinks are never followed out of the workspace', async () => {
  const outside = tempDir();
  writeFileSync(join(outside, 'secret.md'), Buffer.from([0x92]));
  const repo = makeRepo({ files: { 'README.md': 'r\n' } });
  symlinkSync(join(outside, 'secret.md'), join(repo.dir, 'linked.md'));
  const { report } = await scanGaps({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), clock, only: ['windows_encoding_issue'] });
  assert.equal(report.gaps, []);
});

test('the digest is computed once per scan and stored as returned; run files never count', async () => {
  const repo = makeRepo({ files: { 'README.md': 'r\n' }, worktree: { '.autonomous_runs/p/runs/r/NOTES.md': 'x' } });
  let calls = 0;
  const { report } = await scanGaps({
    workspace: repo.dir,
    cwd: repo.dir,
    env: testEnv(),
    clock,
    digest: async () => {
      calls += 1;
      return 'abc123def4567890';
    },
  });
  assert.is(calls, 1);
  assert.is(report.workspace_state_digest, 'abc123def4567890');
  assert.not.ok(report.gaps.some((gap) => gap.evidence?.file_paths?.some((p) => p.includes('.autonomous_runs'))));
});

test.run();
