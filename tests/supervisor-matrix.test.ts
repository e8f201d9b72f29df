// Fan-out across machines: `autopilot supervise --emit-matrix github` checks and gates exactly
// as a local supervise and creates nothing; the reusable workflow's jobs, run step by step with
// bash on separate clones (as separate runners would), leave one runs dir each; `supervisor
// collect` merges them into a SupervisorResultV1 of the same shape as a local supervise.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as v from 'valibot';
import { parse } from 'yaml';
import { SupervisorResultV1 } from '../lib/contracts/supervisor-result.ts';
import { BIN, REPO_ROOT, runBin } from './helpers/cli.ts';
import { gitIn, makeRepo, snapshotTree, tempDir } from './helpers/git-fixture.ts';
import { pinnedEnv } from './helpers/report-fixture.ts';
import { PARALLEL_ANCHOR } from './helpers/supervisor-fixture.ts';
import { runJobSteps, type Workflow } from './helpers/workflow-steps.ts';

const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/autopack-matrix.yml'), 'utf8')) as Workflow & {
  on: { workflow_call: { inputs: Record<string, { default?: unknown }> } };
};
const env = pinnedEnv();
// The install step builds autopack from its checkout; here it is this checkout, built by the test runner.
const runnerEnv = { ...env, AUTOPACK: BIN };

/** A source repository with an anchor allowing three runs at once, and a run branch an earlier fan-out left. */
function fanOutRepo() {
  const repo = makeRepo({ name: 'src', files: { 'README.md': '# r\n', 'a.txt': 'a\n', 'ops/anchor.json': PARALLEL_ANCHOR(3) } });
  repo.git('branch', 'autopack/b');
  repo.git('worktree', 'add', '-q', join(tempDir(), 'b'), 'autopack/b');
  const earlier = repo.git('worktree', 'list', '--porcelain').match(/^worktree (.+)$/gm)!.at(-1)!.slice(9);
  mkdirSync(join(earlier, 'notes'));
  writeFileSync(join(earlier, 'notes/b.txt'), 'from an earlier run\n');
  gitIn(earlier, ['add', 'notes/b.txt']);
  gitIn(earlier, ['commit', '-q', '-m', 'earlier run of b']);
  repo.git('worktree', 'remove', earlier);
  return repo;
}

/** A runner's workspace: the repository checked out (cloned) into a folder named after it, as actions/checkout does. */
function runnerWorkspace(source?: string, commit?: string): string {
  const workspace = join(tempDir('autopack-runner-'), 'src');
  if (!source) return mkdirSync(workspace) ?? workspace;
  gitIn(dirname(workspace), ['clone', '-q', source, 'src']);
  if (commit) gitIn(workspace, ['checkout', '-q', '--detach', commit]);
  return workspace;
}

const inputs = (given: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(workflow.on.workflow_call.inputs).map(([name, input]) => [`inputs.${name}`, String(input.default ?? '')])),
  ...Object.fromEntries(Object.entries(given).map(([name, value]) => [`inputs.${name}`, value])),
});
const INSTALL = ['Install autopack'];

/** One run job on its own runner: a clone at the planned commit, its own temp and runs dir; then what upload-artifact keeps (hidden files left out), where download-artifact puts it. */
function runEntry(source: string, entry: Record<string, string>, given: Record<string, string>, downloaded: string) {
  const runner = runnerWorkspace(source, entry.base);
  const temp = tempDir();
  const contexts = { ...given, ...Object.fromEntries(Object.entries(entry).map(([key, value]) => [`matrix.${key}`, value])) };
  const ran = runJobSteps(workflow, 'run', { workspace: runner, temp, contexts, env: runnerEnv, skip: INSTALL });
  const runs = join(temp, 'autopack-runs');
  if (existsSync(runs)) cpSync(runs, join(downloaded, `autopack-run-${entry.run_id}`), { recursive: true, filter: (path) => !path.split('/').at(-1)!.startsWith('.') });
  return { ...ran, runner, runs };
}

/** The collect job on its own runner, over what the run jobs uploaded. */
function collectJob(downloaded: string, given: Record<string, string>) {
  const temp = join(tempDir(), 'temp');
  cpSync(downloaded, join(temp, 'autopack-collected'), { recursive: true });
  return { ...runJobSteps(workflow, 'collect', { workspace: runnerWorkspace(), temp, contexts: given, env: runnerEnv, skip: INSTALL }), resultFile: join(temp, 'autopack-result/result.json') };
}

test('--emit-matrix github: one line of JSON, an entry per run id in input order; nothing created, no --enable needed', async () => {
  const repo = fanOutRepo();
  const before = snapshotTree(repo.dir);
  const result = await runBin(['autopilot', 'supervise', '--run-ids', 'c,a,b', '--anchor-path', 'ops/anchor.json', '--branch-prefix', 'agent/', '--emit-matrix', 'github'], { cwd: repo.dir, env });
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout.split('\n').length, 2, 'one line, then the newline');
  const base = repo.git('rev-parse', 'HEAD').trim();
  assert.equal(JSON.parse(result.stdout), { include: ['c', 'a', 'b'].map((id) => ({ run_id: id, branch: `agent/${id}`, project_id: 'src', base })) });
  assert.match(result.stderr, /nothing was created/);
  assert.equal(snapshotTree(repo.dir), before, 'no worktree, lock, lease, runs dir or exclude entry');
  const single = await runBin(['autopilot', 'supervise', '--run-ids', 'a,b', '--workers', '1', '--emit-matrix', 'github'], { cwd: repo.dir, env });
  assert.is(single.code, 0, 'one run at a time needs no anchor');
  assert.is(JSON.parse(single.stdout).include.length, 2);
  assert.equal(snapshotTree(repo.dir), before);
});

test('--emit-matrix refuses exactly as a local supervise does (exit 2, the same message), before anything exists', async () => {
  const repo = fanOutRepo();
  const before = snapshotTree(repo.dir);
  const denying = join(tempDir(), 'deny.json');
  writeFileSync(denying, JSON.stringify({ ...JSON.parse(PARALLEL_ANCHOR(1)), pivot_intentions: { parallelism_isolation: { allowed: false } } }));
  const cases: string[][] = [
    ['--run-ids', 'a,b,c'],
    ['--run-ids', 'a,b', '--anchor-path', denying],
    ['--run-ids', 'a,b,c,d', '--workers', '4', '--anchor-path', 'ops/anchor.json'],
    ['--run-ids', 'a,a', '--anchor-path', 'ops/anchor.json'],
    ['--run-ids', 'x.lock', '--workers', '1'],
  ];
  for (const args of cases) {
    const matrix = await runBin(['autopilot', 'supervise', ...args, '--emit-matrix', 'github'], { cwd: repo.dir, env });
    const local = await runBin(['autopilot', 'supervise', ...args, '--exec', 'true', '--enable'], { cwd: repo.dir, env });
    assert.equal([matrix.code, matrix.stdout], [2, ''], args.join(' '));
    assert.is(matrix.stderr, local.stderr, `the same refusal: ${args.join(' ')}`);
  }
  assert.match((await runBin(['autopilot', 'supervise', '--run-ids', 'a', '--emit-matrix', 'gitlab'], { cwd: repo.dir, env })).stderr, /--emit-matrix gitlab: expected one of github/);
  assert.match((await runBin(['autopilot', 'supervise', '--cleanup', '--emit-matrix', 'github'], { cwd: repo.dir, env })).stderr, /does not go with --list-worktrees or --cleanup/);
  assert.equal(snapshotTree(repo.dir), before);
});

test('the reusable workflow, job by job on separate clones: plan, three run jobs, collect; the result has the shape of a local supervise', async () => {
  const source = fanOutRepo();
  const given = inputs({ 'run-ids': 'a,b,c', 'anchor-path': 'ops/anchor.json' });
  const planned = runJobSteps(workflow, 'plan', { workspace: runnerWorkspace(source.dir), temp: tempDir(), contexts: given, env: runnerEnv, skip: INSTALL });
  assert.is(planned.logs['Emit the matrix']!.status, 0, planned.logs['Emit the matrix']!.stderr);
  const matrix = JSON.parse(planned.outputs.matrix!.matrix!) as { include: Array<Record<string, string>> };
  assert.equal(matrix.include.map((entry) => entry.run_id), ['a', 'b', 'c']);

  // Each entry on its own runner, as a separate process on a separate clone with its own runs dir.
  const downloaded = tempDir();
  for (const entry of matrix.include) {
    const ran = runEntry(source.dir, entry, given, downloaded);
    assert.is(ran.logs['Run']!.status, 0, ran.logs['Run']!.stderr);
    assert.ok(!('Push the run branch' in ran.logs), 'push-branches is off by default');
    assert.not.ok(existsSync(join(ran.runs, 'branches')), 'no new commits, no bundle: the continued branch\'s commit is in the repository already');
  }
  const collected = collectJob(downloaded, given);
  assert.is(collected.logs['Collect']!.status, 0, collected.logs['Collect']!.stderr);
  assert.equal(collected.outputs.collect, { status: 'succeeded', 'exit-code': '0' });
  assert.ok(!('Verdict' in collected.logs));
  assert.match(collected.summary, /^## autopack matrix: succeeded$/m);
  assert.match(collected.summary, /^b: SUCCESS {2}1 commit\(s\) on autopack\/b$/m);
  const resultFile = collected.resultFile;
  const merged = JSON.parse(readFileSync(resultFile, 'utf8')) as SupervisorResultV1;
  assert.ok((await runBin(['validate', resultFile], { env })).code === 0, 'autopack validate accepts it');

  // The same three runs supervised locally, in the source repository.
  const local = await runBin(['autopilot', 'supervise', '--run-ids', 'a,b,c', '--anchor-path', 'ops/anchor.json', '--enable'], { cwd: source.dir, env });
  assert.is(local.code, 0, JSON.stringify(JSON.parse(local.stdout).runs.map((run: Record<string, unknown>) => [run.run_id, run.success, run.error, run.stderr_tail])));
  const here = JSON.parse(local.stdout) as SupervisorResultV1;
  for (const result of [merged, here]) assert.ok(v.safeParse(SupervisorResultV1, result).success);
  assert.equal(Object.keys(merged), Object.keys(here));
  assert.equal(merged.runs.map((run) => Object.keys(run)), here.runs.map((run) => Object.keys(run)), 'the same keys per run');
  const facts = (result: SupervisorResultV1) => result.runs.map((run) => [run.run_id, run.success, run.branch, run.base, run.commits_ahead, run.session_status, run.dirty_files?.count]);
  assert.equal(facts(merged), facts(here));
  assert.equal(facts(merged).map((fact) => fact[4]), [0, 1, 0], 'b continued the branch the repository already had');
  assert.equal([merged.status, merged.mode, merged.project_id, merged.workers, merged.effective_workers], ['succeeded', 'autopilot', 'src', 3, 3]);
});

test('the workflow when runs fail: a failed run is still uploaded and collected, a job that uploaded nothing fails its run, commits leave the runner as a bundle', async () => {
  const source = fanOutRepo();
  // w1 commits, w2's command fails; w3's job dies before it uploads anything.
  const exec = `sh -c 'test "$AUTOPACK_RUN_ID" = w2 && exit 7; echo "$AUTOPACK_RUN_ID" > W.md && git add W.md && git commit -q -m "work of $AUTOPACK_RUN_ID"'`;
  const given = inputs({ 'run-ids': 'w1,w2,w3', 'anchor-path': 'ops/anchor.json', exec });
  const planned = runJobSteps(workflow, 'plan', { workspace: runnerWorkspace(source.dir), temp: tempDir(), contexts: given, env: runnerEnv, skip: INSTALL });
  const [w1, w2] = (JSON.parse(planned.outputs.matrix!.matrix!) as { include: Array<Record<string, string>> }).include;
  const downloaded = tempDir();
  const first = runEntry(source.dir, w1!, given, downloaded);
  assert.is(first.logs['Run']!.status, 0, first.logs['Run']!.stderr);
  const bundle = join(first.runs, 'branches/w1.bundle');
  source.git('fetch', '-q', bundle, 'refs/heads/autopack/w1:refs/heads/from-the-runner');
  assert.is(source.git('log', '-1', '--format=%s', 'from-the-runner').trim(), 'work of w1', 'the commit made on the runner, fetched from its artifact');
  const second = runEntry(source.dir, w2!, given, downloaded);
  assert.is(second.logs['Run']!.status, 1, 'a failed run fails its job');
  assert.is(second.logs['Bundle the run branch']!.status, 0, 'the steps after it that always run, ran');
  assert.ok(existsSync(join(downloaded, 'autopack-run-w2/supervisor')), 'the failed run\'s record is uploaded');
  const collected = collectJob(downloaded, given);
  assert.equal(collected.outputs.collect, { status: 'failed', 'exit-code': '1' });
  assert.is(collected.logs['Verdict']!.status, 1, 'the collect job fails, after the result');
  const merged = JSON.parse(readFileSync(collected.resultFile, 'utf8')) as SupervisorResultV1;
  assert.equal(merged.runs.map((run) => [run.run_id, run.success, run.exit_code, run.commits_ahead ?? null]), [['w1', true, 0, 1], ['w2', false, 7, 0], ['w3', false, null, null]]);
  assert.match(merged.runs[2]!.error!, /^no result/);
  assert.match(collected.summary, /^w3: FAILED {2}no result/m);
});

test('supervisor collect: a missing or malformed folder is exit 2 naming it; a run no job uploaded fails the result', async () => {
  const repo = makeRepo({ name: 'src', files: { 'README.md': '# r\n' } });
  const good = join(tempDir(), 'runs-a');
  const made = await runBin(['autopilot', 'supervise', '--run-ids', 'a', '--exec', 'true', '--enable', '--runs-dir', good], { cwd: repo.dir, env });
  assert.is(made.code, 0, made.stderr);
  const supervisorId = JSON.parse(made.stdout).supervisor_id as string;
  const variant = (name: string, change: (dir: string) => void) => {
    const dir = join(tempDir(), name);
    cpSync(good, dir, { recursive: true });
    change(dir);
    return dir;
  };
  const resultOf = (dir: string) => join(dir, 'supervisor', supervisorId, 'result.json');
  const outside = join(tempDir(), 'secret.json');
  writeFileSync(outside, readFileSync(resultOf(good)));
  const cases: Array<[string, RegExp]> = [
    [join(tempDir(), 'nope'), /nope: no such folder/],
    [variant('empty', (dir) => rmSync(join(dir, 'supervisor', supervisorId), { recursive: true })), /empty: no supervisor result in it \(no supervisor\/<id>\/result\.json\)/],
    [variant('truncated', (dir) => writeFileSync(resultOf(dir), '{"format_version": "v1",')), /truncated\/supervisor\/supervisor-[0-9a-f]+\/result\.json: invalid JSON/],
    [variant('invalid', (dir) => writeFileSync(resultOf(dir), JSON.stringify({ ...JSON.parse(readFileSync(resultOf(good), 'utf8')), status: 'weird' }))), /invalid\/supervisor\/supervisor-[0-9a-f]+\/result\.json: not a valid SupervisorResultV1/],
    [variant('two', (dir) => cpSync(join(dir, 'supervisor', supervisorId), join(dir, 'supervisor', 'supervisor-00000000'), { recursive: true })), /two: holds 2 supervisor results/],
    [variant('linked', (dir) => {
      rmSync(resultOf(dir));
      symlinkSync(outside, resultOf(dir));
    }), /linked\/supervisor\/supervisor-[0-9a-f]+\/result\.json: it is a symlink that leads out/],
  ];
  for (const [dir, pattern] of cases) {
    const result = await runBin(['supervisor', 'collect', good, dir], { env });
    assert.equal([result.code, result.stdout], [2, ''], dir);
    assert.match(result.stderr, pattern);
  }
  const noSupervisor = join(tempDir(), 'bare');
  mkdirSync(noSupervisor);
  assert.match((await runBin(['supervisor', 'collect', noSupervisor], { env })).stderr, /bare: no supervisor result in it/);
  const partial = await runBin(['supervisor', 'collect', '--run-ids', 'a,lost', good], { env });
  assert.is(partial.code, 1);
  const result = JSON.parse(partial.stdout) as SupervisorResultV1;
  assert.equal([result.status, result.runs.map((run) => [run.run_id, run.success])], ['failed', [['a', true], ['lost', false]]]);
  assert.match(result.runs[1]!.error!, /^no result: none of the collected folders holds this run/);
  assert.match(partial.stderr, /No result for 1 run\(s\): lost; they count as failed/);
  assert.ok(v.safeParse(SupervisorResultV1, result).success);
  assert.match((await runBin(['supervisor', 'collect', '--run-ids', 'b', good], { env })).stderr, /holds run a, which is not in --run-ids/);
  assert.match((await runBin(['supervisor', 'collect', good, good], { env })).stderr, /Run a is in two results/);
});

test.run();
