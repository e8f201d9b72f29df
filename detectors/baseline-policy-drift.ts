import { lstatIfExists } from '../lib/fs/lstat.ts';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { readStructuredFile } from '../lib/fs/read-structured.ts';
import { normalizeWorkspacePath } from '../lib/governance/paths.ts';
import { displayCommand } from '../lib/runner/run-check.ts';
import { restoreTracked } from '../lib/planning/suggested-commands.ts';
import { defineDetector, type Finding } from '../lib/registry/types.ts';
import { errorMessage } from '../lib/util/errors.ts';

const POLICY_FILE = /\.(ya?ml|json)$/i;

/** The policy files at `path`: the file itself, or every YAML/JSON file of a folder (never through a symlink). */
async function policyFiles(root: string, path: string): Promise<string[] | undefined> {
  const info = lstatIfExists(join(root, path));
  if (!info) return undefined;
  if (!info.isDirectory()) return [path];
  const entries = await readdir(join(root, path), { withFileTypes: true });
  const names = entries.filter((entry) => !entry.isDirectory() && POLICY_FILE.test(entry.name)).map((entry) => entry.name).sort();
  return names.length > 0 ? names.map((name) => `${path}/${name}`) : undefined;
}

/** Why a policy file is structurally invalid, or undefined when it is a non-empty mapping. */
async function problemOf(root: string, file: string): Promise<string | undefined> {
  // Nothing outside the workspace is read or quoted: a symlinked policy is a problem, not a read.
  if (lstatIfExists(join(root, file))?.isSymbolicLink()) return 'it is a symlink (policy files are read only as regular files of the workspace)';
  try {
    const data = await readStructuredFile(join(root, file), file);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'top level is not a mapping';
    if (Object.keys(data).length === 0) return 'the mapping is empty';
    return undefined;
  } catch (error) {
    return errorMessage(error).replace(`${file}: `, '');
  }
}

interface Options {
  path: string;
  required: boolean;
}

export default defineDetector<Options>({
  id: 'baseline_policy_drift',
  gap_type: 'baseline_policy_drift',
  title: 'Baseline policy drift',
  description: 'The baseline policy configuration must exist and be a well-formed YAML or JSON mapping.',
  scope: 'repo',
  default: { risk: 'medium', blocks_autopilot: false },
  options: v.strictObject({
    /** A policy file, or a folder of YAML/JSON policy files (for example security/baselines). */
    path: v.optional(v.pipe(v.string(), v.minLength(1)), 'config/baseline_policy.yaml'),
    /** Require the policy: a repository without one is a gap (default: the policy is checked where it exists). */
    required: v.optional(v.boolean(), false),
  }),
  messages: {
    missing: {
      title: 'Missing baseline policy configuration',
      params: ['path'],
      description: 'Baseline policy configuration file not found',
      signals: ['{path} does not exist'],
      remediation: 'Create baseline policy configuration at {path} (or point detectors.baseline_policy_drift.options.path at yours)',
    },
    invalid: {
      title: 'Invalid baseline policy configuration: {count} files',
      params: ['count'],
      description: 'Baseline policy configuration is not a valid YAML/JSON mapping',
      signals: ['{count} policy files are malformed'],
      remediation: 'Fix the syntax or structure of the listed policy files',
      risk: 'high',
      blocks_autopilot: true,
    },
  },
  remediation: [
    {
      action_type: 'config_update',
      messages: ['missing'],
      title: 'Update baseline policy: {title}',
      description: 'Create the baseline policy configuration',
      risk_score: 0.5,
      risk_factors: ['Modifies config/', 'Changes governance'],
      cost: { tokens: 300, time_seconds: 10 },
      // Creating a file is undone by removing it.
      rollback: (gap) => (gap.evidence?.file_paths?.[0] ? displayCommand(['rm', '--', gap.evidence.file_paths[0]]) : undefined),
    },
    {
      action_type: 'config_update',
      messages: ['invalid'],
      title: 'Update baseline policy: {title}',
      description: 'Fix the syntax or structure of the baseline policy files',
      risk_score: 0.5,
      risk_factors: ['Modifies config/', 'Changes governance'],
      cost: { tokens: 300, time_seconds: 10 },
      rollback: (gap, facts) => restoreTracked(gap.evidence?.file_paths ?? [], facts),
    },
  ],
  // A baseline policy is one project's convention: judged where the repository has one (or requires one).
  isEnabled: (ctx) =>
    ctx.options.required ||
    lstatIfExists(join(ctx.root, ctx.options.path)) !== undefined ||
    `this repository has no ${ctx.options.path} (set detectors.baseline_policy_drift.options.required: true to require one)`,
  async detect(ctx) {
    const normalized = normalizeWorkspacePath(ctx.options.path);
    if (!normalized.ok || normalized.path === '') throw new Error(`options.path '${ctx.options.path}' must be a path inside the workspace`);
    const path = normalized.path;
    const files = await policyFiles(ctx.root, path);
    if (!files) return [{ message: 'missing', inputs: ['missing_config'], params: { path }, evidence: { file_paths: [path] } }];
    const problems = await Promise.all(files.map((file) => problemOf(ctx.root, file)));
    const broken = files.filter((_, i) => problems[i] !== undefined);
    if (broken.length === 0) return [];
    const finding: Finding = {
      message: 'invalid',
      inputs: ['invalid_config', ...broken],
      params: { count: broken.length },
      evidence: { file_paths: broken },
      signals: broken.map((file) => `${file}: ${problems[files.indexOf(file)]}`),
      estimated_actions: broken.length,
    };
    return [finding];
  },
});
