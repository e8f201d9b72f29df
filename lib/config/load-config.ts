import { existsSync, lstatSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { AutopackConfig } from '../contracts/config.ts';
import { issuesToLines, validate, type ValidationIssue } from '../contracts/issues.ts';
import { readStructuredFile } from '../fs/read-structured.ts';
import type { Registry } from '../registry/load.ts';
import type { AnyDetector } from '../registry/types.ts';
import { AutopackError } from '../util/errors.ts';

export const CONFIG_FILE_NAMES = ['autopack.config.yaml', 'autopack.config.yml', 'autopack.config.json'] as const;

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export interface LoadedConfig {
  /** Absolute path of the file read, if any. */
  path?: string;
  /** Folder that relative paths in the config resolve from. */
  baseDir: string;
  config: AutopackConfig;
}

/** An invalid configuration: every problem as `path: message`, the file named. */
export class ConfigError extends AutopackError {
  readonly issues: ValidationIssue[];
  constructor(display: string, issues: ValidationIssue[]) {
    super(`${display}: invalid configuration:\n  ${issuesToLines(issues).join('\n  ')}`, {
      hint: 'see docs/CONFIG.md or `autopack schema config`',
    });
    this.issues = issues;
  }
}

/**
 * Reads `--config FILE` or the first of autopack.config.{yaml,yml,json} at the workspace
 * root. No file is fine (defaults). Unknown keys and wrong types are errors naming the
 * file and the key.
 */
export async function loadConfig(options: { workspace: string; cwd: string; explicitPath?: string | undefined }): Promise<LoadedConfig> {
  let path: string | undefined;
  if (options.explicitPath) {
    path = resolve(options.cwd, options.explicitPath);
    if (!existsSync(path)) throw new AutopackError(`Config file not found: ${options.explicitPath}`);
  } else {
    // lstat, not exists: a dangling symlink is still the config file, and refused as such.
    path = CONFIG_FILE_NAMES.map((name) => join(options.workspace, name)).find((candidate) => lstatOrUndefined(candidate) !== undefined);
  }
  if (!path) return { baseDir: options.workspace, config: {} };
  const display = relative(options.cwd, path) || path;
  // A config the repository provides must not lead out of it; one the operator names may.
  const data = await readStructuredFile(path, display, options.explicitPath ? {} : { root: options.workspace });
  const result = validate(AutopackConfig, data);
  if (!result.ok) throw new ConfigError(display, result.issues);
  return { path, baseDir: dirname(path), config: result.value };
}

export interface DetectorPlan {
  definition: AnyDetector;
  enabled: boolean;
  options: unknown;
  settings: { risk?: string; blocks_autopilot?: boolean };
}

/**
 * Checks the per-detector parts of a config against the loaded registry (unknown detector
 * ids, option schemas, `checks` keys) and resolves each detector's options.
 */
export function resolveDetectorPlans(loaded: LoadedConfig, registry: Registry, display: string): Map<string, DetectorPlan> {
  const errors: ValidationIssue[] = [];
  const known = [...registry.detectors.keys()].sort().join(', ');
  const settings = loaded.config.detectors ?? {};
  for (const id of Object.keys(settings)) {
    if (!registry.detectors.has(id)) errors.push({ path: `$.detectors.${id}`, message: `unknown detector '${id}' (known: ${known})` });
  }
  for (const id of Object.keys(loaded.config.checks ?? {})) {
    const detector = registry.detectors.get(id)?.definition;
    if (!detector) errors.push({ path: `$.checks.${id}`, message: `unknown detector '${id}' (known: ${known})` });
    else if (!detector.accepts_checks) errors.push({ path: `$.checks.${id}`, message: `detector '${id}' does not run configured checks` });
  }
  const plans = new Map<string, DetectorPlan>();
  for (const [id, { definition }] of registry.detectors) {
    const own = settings[id] ?? {};
    let options: unknown = own.options ?? {};
    if (definition.options) {
      const parsed = validate(definition.options, own.options ?? {});
      if (parsed.ok) options = parsed.value;
      else {
        for (const issue of parsed.issues) {
          errors.push({ path: issue.path.replace(/^\$/, `$.detectors.${id}.options`), message: issue.message });
        }
      }
    } else if (own.options !== undefined && (own.options === null || typeof own.options !== 'object' || Array.isArray(own.options))) {
      // A plugin without an options schema gets its options as written, but only as a mapping.
      errors.push({ path: `$.detectors.${id}.options`, message: `Expected type 'object', got '${Array.isArray(own.options) ? 'array' : typeof own.options}'` });
    }
    plans.set(id, {
      definition,
      enabled: own.enabled ?? true,
      options,
      settings: {
        ...(own.risk ? { risk: own.risk } : {}),
        ...(own.blocks_autopilot !== undefined ? { blocks_autopilot: own.blocks_autopilot } : {}),
      },
    });
  }
  if (errors.length > 0) throw new ConfigError(display, errors);
  return plans;
}
