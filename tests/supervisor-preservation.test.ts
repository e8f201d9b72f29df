// A run's work is never lost: files an agent left in its worktree survive a re-run of the run
// id, --cleanup and gc --execute, until the operator says --discard-work; commits live on the
// run's branch; commits on no branch keep their worktree. Real git, real processes, the CLI.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBin } from './helpers/cli.ts';
import { tempDir } from './helpers/git-fixture.ts';
import { sourceRepo } from './helpers/supervisor-fixture.ts';

const json = (stdout: string) => JSON.parse(stdout);
const supervise = (cwd: string, ...args: string[]) => runBin(['autopilot', 'supervise', '--enable', ...args], { cwd });

test('work left in a kept worktree survives a re-run, --cleanup and gc --execute; --discard-work discards it', async () => {
  const { repo, runs } = sourceRepo();
  const worktree = join(runs, 'workspaces/keep1');
  const first = await supervise(repo.dir, '--run-ids', 'keep1', '--keep-worktrees', '--exec', 'true');
  assert.is(first.code, 0, first.stderr);
  assert.equal(json(first.stdout).runs[0].worktree_kept, true);
  assert.is(json(first.stdout).runs[0].kept_reason, 'keep_worktrees');
  // An operator (or an agent) works in it afterwards.
  writeFileSync(join(worktree, 'a.txt'), 'edited\n');
  writeFileSync(join(worktree, 'NEW_WORK.md'), 'new\n');

  const rerun = await supervise(repo.dir, '--run-ids', 'keep1', '--exec', 'true');
  assert.is(rerun.code, 2);
  assert.is(rerun.stdout, '');
  assert.match(rerun.stderr, /The worktree of run keep1 holds work from an earlier run; nothing was started\./);
  assert.match(rerun.stderr, /\.autonomous_runs\/workspaces\/keep1 has 2 changed or untracked files \(NEW_WORK\.md, a\.txt\)/);
  assert.match(rerun.stderr, /hint: review it .*autopack\/keep1.*or pass --discard-work/);

  const cleanup = await runBin(['autopilot', 'supervise', '--cleanup'], { cwd: repo.dir });
  assert.is(cleanup.code, 0);
  assert.equal(json(cleanup.stdout).map((item: { work?: string; removed?: boolean }) => [item.work, item.removed ?? false]), [['2 changed or untracked files (NEW_WORK.md, a.txt)', false]]);
  assert.match(cleanup.stderr, /1 worktree\(s\) hold work and were kept/);
  const gc = await runBin(['gc', '--execute'], { cwd: repo.dir });
  assert.match(gc.stdout, /worktree\s+holds work\s+\.autonomous_runs\/workspaces\/keep1\s+2 changed or untracked files/);
  assert.equal([readFileSync(join(worktree, 'a.txt'), 'utf8'), readFileSync(join(worktree, 'NEW_WORK.md'), 'utf8')], ['edited\n', 'new\n']);

  const discarded = await supervise(repo.dir, '--run-ids', 'keep1', '--exec', 'cat a.txt', '--discard-work');
  assert.is(discarded.code, 0, discarded.stderr);
  const run = json(discarded.stdout).runs[0];
  assert.equal([run.discarded_work, run.stdout_tail, run.worktree_kept], ['2 changed or untracked files (NEW_WORK.md, a.txt)', 'a\n', false]);
  assert.not.ok(existsSync(worktree));
});

test('commits an agent makes live on the run branch after its clean worktree is removed; a re-run continues the branch', async () => {
  const { repo, shared, runs } = sourceRepo();
  const script = join(shared, 'commit.sh');
  writeFileSync(script, 'n=$(ls work-*.txt 2>/dev/null | wc -l)\necho "$n" > "work-$n.txt"\ngit add -A && git -c user.name=agent -c user.email=agent@example.invalid commit -q -m "agent work $n"\n');
  const base = repo.git('rev-parse', 'HEAD').trim();
  const first = await supervise(repo.dir, '--run-ids', 'c1', '--exec', `sh ${script}`);
  assert.is(first.code, 0, first.stderr);
  const run = json(first.stdout).runs[0];
  assert.equal([run.branch, run.base, run.commits_ahead, run.unreferenced_commits, run.dirty_files, run.worktree_kept], ['autopack/c1', base, 1, 0, { count: 0, paths: [] }, false]);
  assert.not.ok(existsSync(join(runs, 'workspaces/c1')), 'a clean worktree is removed');
  assert.is(repo.git('rev-parse', 'autopack/c1').trim(), run.head);
  assert.is(repo.git('show', 'autopack/c1:work-0.txt'), '0\n');

  const second = await supervise(repo.dir, '--run-ids', 'c1', '--exec', `sh ${script}`);
  assert.is(second.code, 0, second.stderr);
  assert.is(json(second.stdout).runs[0].commits_ahead, 2, 'the second run started from the branch, not from main');
  assert.equal(repo.git('log', '--format=%s', 'main..autopack/c1').trim().split('\n'), ['agent work 1', 'agent work 0']);

  // A run that commits nothing leaves no branch behind.
  const idle = await supervise(repo.dir, '--run-ids', 'idle', '--exec', 'true');
  assert.is(idle.code, 0);
  assert.is(repo.git('branch', '--list', 'autopack/idle'), '');
});

test('commits on a detached HEAD keep their worktree; uncommitted files keep theirs; --branch-prefix names the branch', async () => {
  const { repo, shared, runs } = sourceRepo();
  const detach = join(shared, 'detach.sh');
  writeFileSync(detach, 'git checkout -q --detach && echo x > det.txt && git add det.txt && git -c user.name=a -c user.email=a@example.invalid commit -q -m detached\n');
  const result = await supervise(repo.dir, '--run-ids', 'd1', '--exec', `sh ${detach}`);
  assert.is(result.code, 0, result.stderr);
  const run = json(result.stdout).runs[0];
  assert.equal([run.unreferenced_commits, run.commits_ahead, run.worktree_kept, run.kept_reason], [1, 1, true, 'holds_work']);
  assert.match(result.stderr, /d1: worktree kept, it holds work/);
  assert.ok(existsSync(join(runs, 'workspaces/d1/det.txt')));

  const dirty = await supervise(repo.dir, '--run-ids', 'u1', '--branch-prefix', 'agents/', '--exec', 'sh -c "echo draft > DRAFT.md"');
  const dirtyRun = json(dirty.stdout).runs[0];
  assert.equal([dirtyRun.branch, dirtyRun.dirty_files, dirtyRun.kept_reason], ['agents/u1', { count: 1, paths: ['DRAFT.md'] }, 'holds_work']);
  assert.is(readFileSync(join(runs, 'workspaces/u1/DRAFT.md'), 'utf8'), 'draft\n');
  // Ignored files are not work.
  writeFileSync(join(repo.dir, '.gitignore'), 'build/\n');
  repo.git('add', '.gitignore');
  repo.git('commit', '-q', '-m', 'ignore build');
  const ignored = await supervise(repo.dir, '--run-ids', 'ig', '--exec', 'sh -c "mkdir build && echo o > build/out"');
  assert.equal(json(ignored.stdout).runs[0].worktree_kept, false);

  const bad = await supervise(repo.dir, '--run-ids', 'x', '--branch-prefix', 'bad..name/', '--exec', 'true');
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /gives the branch name 'bad\.\.name\/x', which git refuses: it contains \.\./);
});

test('a run branch checked out in another worktree fails only that run, and nothing of it is touched', async () => {
  const { repo } = sourceRepo();
  const elsewhere = join(tempDir(), 'mine');
  repo.git('worktree', 'add', '-q', '-b', 'autopack/taken', elsewhere, 'HEAD');
  const result = await supervise(repo.dir, '--run-ids', 'taken', '--exec', 'true');
  assert.is(result.code, 1);
  assert.match(json(result.stdout).runs[0].error, /Branch autopack\/taken is checked out in .*mine; a run works only on a branch no other worktree has checked out/);
  assert.ok(existsSync(join(elsewhere, 'a.txt')));
});

test.run();
