// Runs the shell steps of one job of a GitHub Actions workflow with bash, as a runner does:
// the step's `env` (and the workflow's) with `${{ … }}` filled in from given contexts, its
// working directory, fresh $GITHUB_OUTPUT per step (read back as `steps.<id>.outputs.*`), one
// $GITHUB_ENV (what a step adds is in the environment of the next) and one $GITHUB_STEP_SUMMARY,
// and the few `if:` forms the workflows use. `uses:` steps are not run:
// the test does what they would (a checkout is a clone, an upload a copy) around this.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { pinnedEnv } from './report-fixture.ts';

export interface WorkflowStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string | number | boolean>;
  'working-directory'?: string;
  with?: Record<string, unknown>;
}

export interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { steps: WorkflowStep[] }>;
}

/** `${{ a.b }}` of simple context names, as the runner would fill them in (the test must know each). */
export function expand(text: string, contexts: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_whole, name: string) => {
    assert.ok(name in contexts, `the test knows ${name}`);
    return contexts[name]!;
  });
}

/** `always()`, `name`, `name == 'x'`, `name != 'x'`, joined by `&&`: the forms the workflows' steps use. */
function condition(expression: string | undefined, contexts: Record<string, string>): boolean {
  if (expression === undefined) return true;
  return expression.split('&&').every((raw) => {
    const term = raw.trim();
    if (term === 'always()') return true;
    const compared = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(term);
    if (compared) return (contexts[compared[1]!] ?? '') === compared[3] === (compared[2] === '==');
    assert.ok(/^[\w.-]+$/.test(term) && term in contexts, `the test knows the condition ${term}`);
    return contexts[term] === 'true';
  });
}

/** `name=value` lines, as steps write $GITHUB_OUTPUT and $GITHUB_ENV. */
function linesOf(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [key, ...rest] = line.split('=');
    values[key!] = rest.join('=');
  }
  return values;
}

export interface StepLog {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `run:` steps of `job` in `workspace` (the runner's $GITHUB_WORKSPACE) with `temp` as
 * $RUNNER_TEMP; after a step fails, only steps with `if: always()` run, as on a runner;
 * `skip` names steps the test does in its own way (installing autopack: the tests run the built CLI).
 */
export function runJobSteps(
  workflow: Workflow,
  job: string,
  options: { workspace: string; temp: string; contexts: Record<string, string>; env?: Record<string, string | undefined>; skip?: readonly string[] },
): { outputs: Record<string, Record<string, string>>; logs: Record<string, StepLog>; summary: string } {
  const contexts: Record<string, string> = { ...options.contexts, 'github.workspace': options.workspace, 'runner.temp': options.temp };
  const summaryFile = join(options.temp, 'step_summary');
  const envFile = join(options.temp, 'github_env');
  mkdirSync(options.temp, { recursive: true });
  writeFileSync(summaryFile, '');
  writeFileSync(envFile, '');
  const outputs: Record<string, Record<string, string>> = {};
  const logs: Record<string, StepLog> = {};
  const fill = (env: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(env).map(([key, value]) => [key, expand(String(value), contexts)]));
  const workflowEnv = fill(workflow.env);
  let failed = false;
  for (const [index, step] of workflow.jobs[job]!.steps.entries()) {
    if (step.run === undefined || options.skip?.includes(step.name ?? '') || !condition(step.if, contexts)) continue;
    if (failed && !step.if?.includes('always()')) continue;
    const outputFile = join(options.temp, `github_output_${index}`);
    writeFileSync(outputFile, '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: join(options.workspace, step['working-directory'] ?? '.'),
      env: pinnedEnv({ ...options.env, ...workflowEnv, ...linesOf(envFile), ...fill(step.env), RUNNER_TEMP: options.temp, GITHUB_OUTPUT: outputFile, GITHUB_ENV: envFile, GITHUB_STEP_SUMMARY: summaryFile }) as NodeJS.ProcessEnv,
      encoding: 'utf8',
    });
    logs[step.name ?? step.run] = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    if (step.id) {
      outputs[step.id] = linesOf(outputFile);
      for (const [key, value] of Object.entries(outputs[step.id]!)) contexts[`steps.${step.id}.outputs.${key}`] = value;
    }
    failed ||= result.status !== 0;
  }
  return { outputs, logs, summary: readFileSync(summaryFile, 'utf8') };
}
