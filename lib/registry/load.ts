import { readdir } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as v from 'valibot';
import { formatIssues, issuesToLines } from '../contracts/issues.ts';
import { BUILTIN_GAP_TYPES } from '../contracts/gap-report.ts';
import { compareCodePoints } from '../util/sort.ts';
import { AutopackError, errorMessage } from '../util/errors.ts';
import { importPluginModule } from './import-module.ts';
import { ActionShape, DetectorShape, pluginKind } from './plugin-shape.ts';
import type { ActionDefinition, AnyDetector } from './types.ts';

export interface LoadedPlugin<T> {
  definition: T;
  /** Where it came from, for messages: `detectors/root-clutter.ts` or the configured path. */
  source: string;
  builtin: boolean;
}

export interface Registry {
  detectors: Map<string, LoadedPlugin<AnyDetector>>;
  actions: Map<string, LoadedPlugin<ActionDefinition>>;
}

export interface PluginRequest {
  specifier: string;
  /** Folder that relative specifiers and package names resolve from (the config's folder). */
  baseDir: string;
}

const here = import.meta.url;
const sourceExtension = here.endsWith('.ts') ? '.ts' : '.js';
const packageRoot = fileURLToPath(new URL(here.includes('/dist/') ? '../../../' : '../../', here));

/** `root_clutter` ↔ `root-clutter.ts`: id = file name. */
export function fileNameForId(id: string): string {
  return id.replace(/_/g, '-');
}

/** Every known gap type: the built-in ones, `unknown` and those declared by loaded detectors. */
export function knownGapTypes(registry: Registry): string[] {
  const types = new Set<string>([...BUILTIN_GAP_TYPES, 'unknown']);
  for (const { definition } of registry.detectors.values()) types.add(definition.gap_type);
  return [...types].sort(compareCodePoints);
}

async function builtinFiles(folder: 'detectors' | 'actions'): Promise<string[]> {
  const dir = new URL(`../../${folder}/`, here);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(sourceExtension) && !name.endsWith('.d.ts'))
    .sort(compareCodePoints)
    .map((name) => fileURLToPath(new URL(name, dir)));
}

function exportsOf(module: unknown, source: string): unknown[] {
  let value = (module as { default?: unknown } | undefined)?.default;
  // A TypeScript file compiled as CommonJS (no "type": "module" nearby) arrives wrapped once more.
  if (value !== null && typeof value === 'object' && '__esModule' in value) value = (value as { default?: unknown }).default;
  else if (value !== null && typeof value === 'object' && 'default' in value && Object.keys(value).length === 1) {
    value = (value as { default: unknown }).default;
  }
  if (value === undefined) {
    throw new AutopackError(`${source}: does not export a plugin (expected \`export default defineDetector({...})\` or \`defineAction({...})\`)`);
  }
  return Array.isArray(value) ? value : [value];
}

function register(registry: Registry, value: unknown, source: string, builtin: boolean, expectedFolder?: 'detectors' | 'actions'): void {
  const kind = pluginKind(value);
  if (!kind) {
    throw new AutopackError(`${source}: default export is not a detector or an action handler (a detector has \`detect\`, a handler has \`run\`)`);
  }
  if (expectedFolder && `${kind}s` !== expectedFolder) {
    throw new AutopackError(`${source}: exports a ${kind}, but files in ${expectedFolder}/ must export ${expectedFolder.slice(0, -1)}s`);
  }
  const shape = kind === 'detector' ? DetectorShape : ActionShape;
  const result = v.safeParse(shape, value);
  if (!result.success) {
    const lines = issuesToLines(formatIssues(result.issues));
    throw new AutopackError(`${source}: not a valid ${kind}:\n  ${lines.join('\n  ')}`);
  }
  const id = (value as { id: string }).id;
  if (builtin && basename(source) !== fileNameForId(id)) {
    throw new AutopackError(`${source}: ${kind} id '${id}' must match its file name (${fileNameForId(id)}${sourceExtension})`);
  }
  const map = (kind === 'detector' ? registry.detectors : registry.actions) as Map<string, LoadedPlugin<unknown>>;
  const existing = map.get(id);
  if (existing) throw new AutopackError(`${source}: duplicate ${kind} id '${id}' (already defined by ${existing.source})`);
  map.set(id, { definition: value, source, builtin });
}

/** Built-ins show as `detectors/root-clutter`, the same from source and from dist/. */
function display(file: string): string {
  return relative(packageRoot, file).replace(/^dist\//, '').replace(/\.(ts|js)$/, '');
}

/**
 * Loads the built-in detectors and actions (every file of `detectors/` and `actions/`),
 * then the configured plugins. A duplicate id or a file that does not export a valid
 * plugin is an AutopackError naming the file.
 */
export async function loadRegistry(options: { plugins?: readonly PluginRequest[] } = {}): Promise<Registry> {
  const registry: Registry = { detectors: new Map(), actions: new Map() };
  for (const folder of ['detectors', 'actions'] as const) {
    const files = await builtinFiles(folder);
    const modules = await Promise.all(files.map((file) => import(pathToFileURL(file).href)));
    files.forEach((file, index) => {
      const source = display(file);
      for (const value of exportsOf(modules[index], source)) register(registry, value, source, true, folder);
    });
  }
  for (const request of options.plugins ?? []) {
    let loaded: { module: unknown; file: string };
    try {
      loaded = await importPluginModule(request.specifier, request.baseDir);
    } catch (error) {
      if (error instanceof AutopackError) throw error;
      throw new AutopackError(`${request.specifier}: cannot load plugin: ${errorMessage(error)}`, { cause: error });
    }
    const source = request.specifier;
    for (const value of exportsOf(loaded.module, source)) register(registry, value, source, false);
  }
  return registry;
}
