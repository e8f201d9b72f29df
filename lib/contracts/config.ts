import * as v from 'valibot';
import { RISK_LEVELS, SAFE_ID_PATTERN } from './common.ts';

export const FAIL_ON_LEVELS = ['blocker', 'critical', 'high', 'medium', 'low', 'never'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

export const CHECK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * A relative path that cannot leave the workspace, judged on its text alone: no leading `/`
 * or `\`, no drive letter, no `..` segment anywhere, no NUL. (A regex rather than a check so
 * that the published JSON Schema carries the same rule.)
 */
export const INSIDE_WORKSPACE_PATH = /^(?![\\/])(?![A-Za-z]:)(?!(?:[\s\S]*[\\/])?\.\.(?:[\\/]|$))[^\u0000]+$/;

/** A mechanical command, always given as argv; never a command string. */
export const CheckSpec = v.strictObject({
  id: v.pipe(v.string(), v.regex(CHECK_ID_PATTERN)),
  run: v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)),
  timeout_s: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(3600))),
  /** Working directory, relative to the workspace root; it must stay inside the workspace. */
  cwd: v.optional(
    v.pipe(
      v.string(),
      v.regex(INSIDE_WORKSPACE_PATH, 'a relative path inside the workspace: no leading /, no drive letter, no ..'),
      v.description('Working directory, relative to the workspace root; it must stay inside the workspace'),
    ),
  ),
  title: v.optional(v.string()),
  risk: v.optional(v.picklist(RISK_LEVELS)),
  blocks_autopilot: v.optional(v.boolean()),
});

export const DetectorSettings = v.strictObject({
  enabled: v.optional(v.boolean()),
  /** How long the detector may take (default: 300 s, or longer when its checks' own limits add up to more). */
  timeout_s: v.optional(v.pipe(v.number(), v.minValue(0.001), v.maxValue(86_400))),
  risk: v.optional(v.picklist(RISK_LEVELS)),
  blocks_autopilot: v.optional(v.boolean()),
  options: v.optional(v.unknown()),
});

export const ActionSettings = v.strictObject({
  /** How long a configured (plugin) action handler may run before its action fails (default 600 s). */
  timeout_s: v.optional(v.pipe(v.number(), v.minValue(0.001), v.maxValue(86_400))),
});

export const AutopackConfig = v.strictObject({
  /**
   * The JSON Schema an editor validates the file against; autopack ignores it. The only key
   * allowed beyond the config's own, so that an editor's schema reference never trips the
   * unknown-key check.
   */
  $schema: v.optional(v.pipe(v.string(), v.description('The JSON Schema editors validate this file against (ignored by autopack)'))),
  project_id: v.optional(v.pipe(v.string(), v.regex(SAFE_ID_PATTERN))),
  runs_dir: v.optional(v.pipe(v.string(), v.minLength(1))),
  fail_on: v.optional(v.picklist(FAIL_ON_LEVELS)),
  /** Paths (segment prefixes or globs) whose modification is a protected_path_violation. */
  protected_paths: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
  /** Globs removed from the file list every detector sees, on top of the built-in excludes. */
  exclude: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
  detectors: v.optional(v.record(v.string(), DetectorSettings)),
  checks: v.optional(v.record(v.string(), v.array(CheckSpec))),
  actions: v.optional(v.record(v.string(), ActionSettings)),
  plugins: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
});

export type AutopackConfig = v.InferOutput<typeof AutopackConfig>;
export type CheckSpec = v.InferOutput<typeof CheckSpec>;
export type DetectorSettings = v.InferOutput<typeof DetectorSettings>;
