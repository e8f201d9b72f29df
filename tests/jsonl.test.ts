// `--format jsonl`: one JSON object per line, each with a `type`; the records of one report
// (or plan) share its id, and the summary record comes last.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBin } from './helpers/cli.ts';
import { makeReportRepo, pinnedEnv } from './helpers/report-fixture.ts';

const shop = makeReportRepo();
const parseLines = (stdout: string) => {
  assert.ok(stdout.endsWith('\n'), 'the last line ends too');
  return stdout.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
};

test('gaps scan: a "gap" record per gap (the report\'s gap plus report_id), then the "summary" record', async () => {
  const env = pinnedEnv();
  const [lines, json] = await Promise.all([
    runBin(['gaps', 'scan', '--format', 'jsonl'], { cwd: shop.dir, env }),
    runBin(['gaps', 'scan', '--format', 'json'], { cwd: shop.dir, env }),
  ]);
  assert.is(lines.code, 1, 'same exit code as every format');
  const records = parseLines(lines.stdout);
  const report = JSON.parse(json.stdout) as { report_id: string; gaps: Array<Record<string, unknown>> } & Record<string, unknown>;
  assert.is(records.length, report.gaps.length + 1);
  assert.equal(records.map((record) => record.type), [...report.gaps.map(() => 'gap'), 'summary']);
  for (const [index, gap] of report.gaps.entries()) {
    assert.equal(records[index], { type: 'gap', report_id: report.report_id, ...gap }, 'the gap exactly as in the report');
  }
  const { gaps: _gaps, ...metadata } = report;
  assert.equal(records.at(-1), { type: 'summary', ...metadata });
  assert.is(Object.keys(records[0]!)[0], 'type', 'type first, for grep and jq alike');
});

test('plan propose: an "action" record per action plus proposal_id, then the "summary" record', async () => {
  const env = pinnedEnv();
  await runBin(['gaps', 'scan', '--write', '--fail-on', 'never'], { cwd: shop.dir, env });
  await runBin(['anchor', 'init', '--write'], { cwd: shop.dir, env });
  const [lines, json] = await Promise.all([runBin(['plan', 'propose', '--format', 'jsonl'], { cwd: shop.dir, env }), runBin(['plan', 'propose'], { cwd: shop.dir, env })]);
  const plan = JSON.parse(json.stdout) as { proposal_id: string; actions: Array<Record<string, unknown>> } & Record<string, unknown>;
  assert.ok(plan.actions.length > 0);
  const records = parseLines(lines.stdout);
  assert.equal(records.slice(0, -1), plan.actions.map((action) => ({ type: 'action', proposal_id: plan.proposal_id, ...action })));
  const { actions: _actions, ...metadata } = plan;
  assert.equal(records.at(-1), { type: 'summary', ...metadata });
});

test.run();
