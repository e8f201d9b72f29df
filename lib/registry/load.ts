import * as v from 'valibot';
import { formatIssues, issuesToLines } from '../contracts/issues.ts';
import { AutopackError, errorMessage } from '../util/errors.ts';
import { compareCodePoints } from '../util/sort.ts';
import { BUILTIN_ACTIONS, BUILTIN_DETECTORS } from './builtin-index.ts';
import type { BuiltinActionEntry, BuiltinDetectorEntry } from './builtin-types.ts';
import { importPluginModule } from './import-module.ts';
import { ActionShape, DetectorShape, pluginKind } from './plugin-shape.ts';
import { resolveDetector } from './resolve.ts';
import type { ActionDefinition, AnyDetector, DetectorDefinition } from './types.ts';

/** A registered detector: what is known without importing it, and how to get the rest. */
export interface DetectorEntry extends Omit<BuiltinDetectorEntry, 'load'> {
  builtin: boolean;
  /** For a configured plugin: how to import its module again (a scan runs its code in a thread of its own). */
  plugin?: PluginRequest;
  /** Imports (once), checks and resolves the definition. */
  load(): Promise<AnyDetector>;
}

/** A registered action handler: its declaration, enough to plan with, and how to import it. */
export interface ActionEntry extends Omit<BuiltinActionEntry, 'load'> {
  builtin: boolean;
  /** For a configured plugin: how to import its module again (its handler runs in a thread of its own). */
  plugin?: PluginRequest;
  load(): Promise<ActionDefinition>;
}

export interface Registry {
  detectors: Map<string, DetectorEntry>;
  actions: Map<string, ActionEntry>;
  /** The configured plugins, in config order. */
  plugins: LoadedPlugin[];
}

/** A plugin given as a value rather than a file (testDetector's detector under test), checked like one. */
export interface PluginDefinition {
  /** What messages name it by. */
  source: string;
  value: unknown;
}

export interface PluginRequest {
  specifier: string;
  /** Folder that relative specifiers resolve from (the config's folder). */
  baseDir: string;
  /** The workspace: package names load from its node_modules, and only from there. */
  workspaceRoot: string;
  /** For a config the repository provides: plugin files must really lie inside this folder (the repository). */
  confineTo?: string;
}

/** A configured plugin as loaded: where its code really is (a package's real folder, a file's path). */
export interface LoadedPlugin {
  specifier: string;
  file: string;
  /** A package whose real folder lies outside the workspace (linked into its node_modules). */
  linkedFromOutside: boolean;
}

/** `root_clutter` ↔ `root-clutter.ts`: id = file name. */
export function fileNameForId(id: string): string {
  return id.replace(/_/g, '-');
}

/** Every known gap type: those of the registered detectors, and `unknown` (a failed detector). */
export function knownGapTypes(registry: Registry): string[] {
  const types = new Set<string>(['unknown']);
  for (const entry of registry.detectors.values()) types.add(entry.gap_type);
  return [...types].sort(compareCodePoints);
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

/**
 * What a plugin module exports, checked against the plugin shapes and message rules. The built-ins
 * skip both (a test holds each of them to them) because every command pays for them at start.
 */
export function checkShape(value: unknown, source: string, builtin = false): { kind: 'detector'; detector: AnyDetector } | { kind: 'action'; action: ActionDefinition } {
  const kind = pluginKind(value);
  if (!kind) throw new AutopackError(`${source}: default export is not a detector or an action handler (a detector has \`detect\`, a handler has \`run\`)`);
  if (!builtin) {
    const result = v.safeParse(kind === 'detector' ? DetectorShape : ActionShape, value);
    if (!result.success) throw new AutopackError(`${source}: not a valid ${kind}:\n  ${issuesToLines(formatIssues(result.issues)).join('\n  ')}`);
  }
  if (kind === 'action') return { kind, action: value as ActionDefinition };
  const resolved = resolveDetector(value as DetectorDefinition<any, any>, !builtin);
  if (!resolved.ok) throw new AutopackError(`${source}: not a valid detector:\n  ${resolved.problems.join('\n  ')}`);
  return { kind, detector: resolved.detector };
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** Loads one built-in module and checks it is the plugin its index entry says. */
async function loadBuiltin(entry: { id: string; source: string; load: () => Promise<unknown> }, kind: 'detector' | 'action'): Promise<unknown> {
  const values = exportsOf(await entry.load(), entry.source);
  const checked = values.map((value) => checkShape(value, entry.source, true));
  const found = checked.find((item) => item.kind === kind && (item.kind === 'detector' ? item.detector.id : item.action.id) === entry.id);
  if (!found || checked.length !== 1) throw new AutopackError(`${entry.source}: must export exactly the ${kind} '${entry.id}' (the registry index is stale: npm run registry)`);
  return found.kind === 'detector' ? found.detector : found.action;
}

function addDetector(registry: Registry, entry: DetectorEntry): void {
  const existing = registry.detectors.get(entry.id);
  if (existing) throw new AutopackError(`${entry.source}: duplicate detector id '${entry.id}' (already defined by ${existing.source})`);
  registry.detectors.set(entry.id, entry);
}

function addAction(registry: Registry, entry: ActionEntry): void {
  const existing = registry.actions.get(entry.id);
  if (existing) throw new AutopackError(`${entry.source}: duplicate action id '${entry.id}' (already defined by ${existing.source})`);
  registry.actions.set(entry.id, entry);
}

function actionEntry(action: ActionDefinition, source: string, builtin: boolean, load: () => Promise<ActionDefinition>): ActionEntry {
  return {
    id: action.id,
    title: action.title,
    description: action.description,
    action_types: action.action_types,
    effects: action.effects,
    ...(action.verifies ? { verifies: action.verifies } : {}),
    source,
    builtin,
    load,
  };
}

/** Checks one exported value and registers it as the detector or action it is. */
function addPlugin(registry: Registry, value: unknown, source: string, request?: PluginRequest): void {
  const checked = checkShape(value, source);
  if (checked.kind === 'detector') {
    const { detector } = checked;
    addDetector(registry, { id: detector.id, gap_type: detector.gap_type, scope: detector.scope, partial: detector.partial, source, builtin: false, ...(request ? { plugin: request } : {}), load: async () => detector });
  } else {
    const { action } = checked;
    addAction(registry, { ...actionEntry(action, source, false, async () => action), ...(request ? { plugin: request } : {}) });
  }
}

/**
 * The registry: the built-in detectors and actions from the generated index (imported only when
 * a command needs one), then the configured plugins (imported now, since their ids are only known
 * from their code), then plugins given as values. A duplicate id or a file that does not export a valid plugin is an
 * AutopackError naming the file.
 */
export async function loadRegistry(
  options: { plugins?: readonly PluginRequest[]; definitions?: readonly PluginDefinition[]; /** How long each configured plugin may take to load. */ importTimeoutMs?: number } = {},
): Promise<Registry> {
  const registry: Registry = { detectors: new Map(), actions: new Map(), plugins: [] };
  for (const entry of BUILTIN_DETECTORS) {
    addDetector(registry, { id: entry.id, gap_type: entry.gap_type, scope: entry.scope, partial: entry.partial, source: entry.source, builtin: true, load: once(async () => (await loadBuiltin(entry, 'detector')) as AnyDetector) });
  }
  for (const entry of BUILTIN_ACTIONS) {
    const load = once(async () => (await loadBuiltin(entry, 'action')) as ActionDefinition);
    addAction(registry, { ...entry, builtin: true, load });
  }
  if ((options.plugins ?? []).length > 0) await (await import('../plugin-thread/import-check.ts')).checkPluginImports(options.plugins!, options.importTimeoutMs);
  for (const request of options.plugins ?? []) {
    let loaded: Awaited<ReturnType<typeof importPluginModule>>;
    try {
      loaded = await importPluginModule(request.specifier, request.baseDir, request.workspaceRoot, request.confineTo);
    } catch (error) {
      if (error instanceof AutopackError) throw error;
      throw new AutopackError(`${request.specifier}: cannot load plugin: ${errorMessage(error)}`, { cause: error });
    }
    registry.plugins.push({ specifier: request.specifier, file: loaded.file, linkedFromOutside: loaded.package?.outside ?? false });
    for (const value of exportsOf(loaded.module, request.specifier)) addPlugin(registry, value, request.specifier, request);
  }
  for (const definition of options.definitions ?? []) addPlugin(registry, definition.value, definition.source);
  return registry;
}

/** The detector `id` among a plugin module's exports, checked and resolved as the registry does. */
export function pluginDetectorFrom(module: unknown, source: string, id: string): AnyDetector {
  for (const value of exportsOf(module, source)) {
    const checked = checkShape(value, source);
    if (checked.kind === 'detector' && checked.detector.id === id) return checked.detector;
  }
  throw new AutopackError(`${source}: no longer exports the detector '${id}'`);
}

/** The action handler `id` among a plugin module's exports, checked as the registry does. */
export function pluginActionFrom(module: unknown, source: string, id: string): ActionDefinition {
  for (const value of exportsOf(module, source)) {
    const checked = checkShape(value, source);
    if (checked.kind === 'action' && checked.action.id === id) return checked.action;
  }
  throw new AutopackError(`${source}: no longer exports the action handler '${id}'`);
}

/** Every detector of the registry, imported and resolved, in id order (for listings and docs). */
export async function loadAllDetectors(registry: Registry): Promise<AnyDetector[]> {
  const ids = [...registry.detectors.keys()].sort(compareCodePoints);
  return Promise.all(ids.map((id) => registry.detectors.get(id)!.load()));
}
