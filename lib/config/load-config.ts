import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { AutopackConfig } from '../contracts/config.ts';
import { lstatIfExists } from '../fs/lstat.ts';
import { keyPath, namedKey, validate, type ValidationIssue } from '../contracts/issues.ts';
import { readStructuredFile } from '../fs/read-structured.ts';
import type { PluginRequest, Registry } from '../registry/load.ts';
import type { AnyDetector } from '../registry/types.ts';
import { AutopackError, ConfigError } from '../util/errors.ts';

export const CONFIG_FILE_NAMES = ['autopack.config.yaml', 'autopack.config.yml', 'autopack.config.json'] as const;


export interface LoadedConfig {
  /** Absolute path of the file read, if any. */
  path?: string;
  /** Folder that relative paths in the config resolve from. */
  baseDir: string;
  config: AutopackConfig;
}

/**
 * Reads `--config FILE` or the one autopack.config.{yaml,yml,json} at the workspace root (two
 * of them are an error). No file is fine (defaults). Unknown keys and wrong types are errors naming the
 * file and the key.
 */
export async function loadConfig(options: { workspace: string; cwd: string; explicitPath?: string | undefined }): Promise<LoadedConfig> {
  let path: string | undefined;
  if (options.explicitPath) {
    path = resolve(options.cwd, options.explicitPath);
    if (!existsSync(path)) throw new AutopackError(`Config file not found: ${options.explicitPath}`);
  } else {
    // lstat, not exists: a dangling symlink is still the config file, and refused as such.
    const found = CONFIG_FILE_NAMES.filter((name) => lstatIfExists(join(options.workspace, name)) !== undefined);
    // Two of them: an edit of the one not read would silently change nothing.
    if (found.length > 1) throw new AutopackError(`Two config files in ${options.workspace}: ${found.join(' and ')}`, { hint: 'keep one (or name the one to use with --config)' });
    path = found[0] === undefined ? undefined : join(options.workspace, found[0]);
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
  detector: AnyDetector;
  /** Whether it runs in a full scan (config `enabled`, default true). */
  enabled: boolean;
  /** Validated against the detector's schema, defaults applied. */
  options: unknown;
  settings: { risk?: string; blocks_autopilot?: boolean };
}

async function parseOptions(detector: AnyDetector, raw: unknown, errors: ValidationIssue[], plugin: PluginRequest | undefined): Promise<unknown> {
  if (detector.options) {
    // A configured plugin's schema is its code (valibot checks and transforms): it runs in the plugin's thread.
    const parsed = plugin ? ((await (await import('../plugin-thread/detector-functions.ts')).callDetectorFunctions(plugin, detector.id, [{ fn: 'options', raw: raw ?? {} }]))[0] as ReturnType<typeof validate>) : validate(detector.options, raw ?? {});
    if (parsed.ok) return parsed.value;
    for (const issue of parsed.issues) errors.push({ path: issue.path.replace(/^\$/, `$.detectors.${detector.id}.options`), message: issue.message });
    return undefined;
  }
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    // A plugin without an options schema gets its options as written, but only as a mapping.
    errors.push({ path: `$.detectors.${detector.id}.options`, message: `Expected type 'object', got '${Array.isArray(raw) ? 'array' : typeof raw}'` });
  }
  return raw ?? {};
}

async function planOf(detector: AnyDetector, loaded: LoadedConfig, errors: ValidationIssue[], plugin: PluginRequest | undefined): Promise<DetectorPlan> {
  const own = loaded.config.detectors?.[detector.id] ?? {};
  return {
    detector,
    enabled: own.enabled ?? true,
    options: await parseOptions(detector, own.options, errors, plugin),
    settings: {
      ...(own.risk ? { risk: own.risk } : {}),
      ...(own.blocks_autopilot !== undefined ? { blocks_autopilot: own.blocks_autopilot } : {}),
    },
  };
}

/** Resolves detector plans on demand: each detector is imported, and its options parsed, once. */
export interface DetectorPlans {
  get(id: string): Promise<DetectorPlan>;
}

/**
 * Checks the per-detector parts of a config against the registry — unknown detector ids,
 * option schemas, `checks` keys — importing only the detectors the config names, and returns
 * the plans of every detector on demand.
 */
export async function resolveDetectorPlans(
  loaded: LoadedConfig,
  registry: Registry,
  display: string,
  options: { ignoreUnknown?: boolean } = {},
): Promise<DetectorPlans> {
  const errors: ValidationIssue[] = [];
  const known = [...registry.detectors.keys()].sort().join(', ');
  const named = new Set<string>();
  for (const id of Object.keys(loaded.config.detectors ?? {})) {
    if (registry.detectors.has(id)) named.add(id);
    // With plugins left unloaded, their settings cannot be checked (nor used).
    else if (!options.ignoreUnknown) errors.push({ path: keyPath('$.detectors', id), message: `unknown detector ${namedKey(id)} (known: ${known})` });
  }
  const checked = new Map<string, DetectorPlan>();
  for (const id of Object.keys(loaded.config.checks ?? {})) {
    if (registry.detectors.has(id)) named.add(id);
    else if (!options.ignoreUnknown) errors.push({ path: keyPath('$.checks', id), message: `unknown detector ${namedKey(id)} (known: ${known})` });
  }
  const handlers = [...registry.actions.keys()].sort().join(', ');
  for (const id of Object.keys(loaded.config.actions ?? {})) {
    if (!registry.actions.has(id) && !options.ignoreUnknown) errors.push({ path: keyPath('$.actions', id), message: `unknown action handler ${namedKey(id)} (known: ${handlers})` });
  }
  for (const id of [...named].sort()) {
    const detector = await registry.detectors.get(id)!.load();
    if (loaded.config.checks?.[id] && !detector.accepts_checks) errors.push({ path: `$.checks.${id}`, message: `detector '${id}' does not run configured checks` });
    checked.set(id, await planOf(detector, loaded, errors, registry.detectors.get(id)!.plugin));
  }
  if (errors.length > 0) throw new ConfigError(display, errors);
  const plans = new Map<string, Promise<DetectorPlan>>([...checked].map(([id, plan]) => [id, Promise.resolve(plan)]));
  return {
    get(id) {
      let plan = plans.get(id);
      if (!plan) {
        const entry = registry.detectors.get(id);
        if (!entry) return Promise.reject(new AutopackError(`Unknown detector '${id}' (known: ${known})`));
        plan = entry.load().then((detector) => planOf(detector, loaded, [], entry.plugin));
        plans.set(id, plan);
      }
      return plan;
    },
  };
}
