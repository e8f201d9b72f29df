// `autopilot supervise --format jsonl`: the supervisor's events on stdout as they happen, one
// JSON object per line, then the result as the last line; `supervisor collect` prints only that line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as v from 'valibot';
import { SupervisorResultV1 } from '../lib/contracts/supervisor-result.ts';
import { runBin } from './helpers/cli.ts';
import { tempDir, testEnv } from './helpers/git-fixture.ts';
import { sourceRepo, startBin, until } from './helpers/supervisor-fixture.ts';

const lines = (stdout: string) => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

test('every line is JSON; events stream while the runs go on; the result comes last and matches result.json', async () => {
  const { repo, anchor } = sourceRepo();
  const gate = join(tempDir(), 'go');
  // Each command waits (with a deadline) until the test has seen events on stdout.
  const wait = `sh -c 'i=0; while [ ! -f ${gate} ]; do i=$((i+1)); [ $i -gt 400 ] && exit 3; sleep 0.05; done'`;
  const run = startBin(['autopilot', 'supervise', '--run-ids', 'j1,j2', '--workers', '2', '--anchor-path', anchor, '--exec', wait, '--enable', '--format', 'jsonl'], { cwd: repo.dir, env: testEnv() });
  await until(() => (run.output.stdout.match(/"type":"worker_started"/g) ?? []).length === 2, 'both workers started, as seen on stdout');
  assert.not.match(run.output.stdout, /"type":"result"/, 'the result is not there yet: events are streamed, not printed at the end');
  writeFileSync(gate, '');
  assert.is(await run.exited, 0, run.output.stderr);
  const records = lines(run.output.stdout);
  const last = records.at(-1)!;
  assert.is(last.type, 'result');
  assert.ok(records.slice(0, -1).every((record) => record.type !== 'result' && typeof record.ts === 'string'), 'every other line is an event');
  assert.equal([records[0]!.type, records.at(-2)!.type], ['supervisor_started', 'supervisor_finished']);
  for (const type of ['run_lock_acquired', 'worktree_created', 'worker_started', 'run_finished']) {
    assert.equal(records.filter((record) => record.type === type).map((record) => record.run_id).sort(), ['j1', 'j2'], type);
  }
  const { type: _type, ...result } = last;
  assert.ok(v.safeParse(SupervisorResultV1, result).success);
  const dir = join(repo.dir, '.autonomous_runs/supervisor', String(result.supervisor_id));
  assert.equal(result, JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')));
  assert.equal(records.slice(0, -1), lines(readFileSync(join(dir, 'events.jsonl'), 'utf8')), 'the events of events.jsonl, in its order');
});

test('a refusal prints nothing on stdout; collect --format jsonl prints the result line alone', async () => {
  const { repo } = sourceRepo();
  const refused = await runBin(['autopilot', 'supervise', '--run-ids', 'a,b', '--workers', '2', '--exec', 'true', '--enable', '--format', 'jsonl'], { cwd: repo.dir });
  assert.equal([refused.code, refused.stdout], [2, '']);
  const runsDir = join(tempDir(), 'runs');
  assert.is((await runBin(['autopilot', 'supervise', '--run-ids', 'one', '--exec', 'true', '--enable', '--runs-dir', runsDir], { cwd: repo.dir })).code, 0);
  const collected = await runBin(['supervisor', 'collect', runsDir, '--format', 'jsonl'], { cwd: repo.dir });
  assert.is(collected.code, 0, collected.stderr);
  const records = lines(collected.stdout);
  assert.equal(records.map((record) => record.type), ['result']);
  assert.equal((records[0]!.runs as Array<{ run_id: string }>).map((run) => run.run_id), ['one']);
});

test.run();
