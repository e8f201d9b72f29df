import picomatch from 'picomatch';
import type { CheckSpec } from '../contracts/config.ts';
import type { Git, RepoState } from '../git/git.ts';
import { readStatus, type StatusResult } from '../git/status.ts';
import type { PluginRequest } from '../registry/load.ts';
import type { AnyDetector, DetectorContext, FileInfo, Inspected } from '../registry/types.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { decodeUtf8, inspectFiles, workingTreeSource, type InspectorRun, type Want } from './file-pass.ts';
import { changedFileList, listWorkspaceFiles, type FileList } from './file-list.ts';
import { partialByteSource, type PartialScope } from './scope.ts';
import type { ScanCache } from './scan-cache.ts';
import type { WatchedChecks } from './watched-checks.ts';
import { workspaceFiles } from './workspace-files.ts';

/** One selected detector of a scan, with its resolved options, settings and checks. */
export interface ScanPlan {
  detector: AnyDetector;
  options: unknown;
  settings: { risk?: string; blocks_autopilot?: boolean };
  checks: readonly CheckSpec[];
  /** How long `detect()` may take before the scan goes on without it. */
  timeoutMs: number;
  /** A detector shipped with autopack (its inspector keeps no bytes past a file's turn). */
  builtin?: boolean;
  /** A configured plugin's module: the detector runs in a thread of its own, its inspector too. */
  plugin?: PluginRequest;
}

export interface SharedScanState {
  root: string;
  runsDir: string;
  git: Git;
  repo: RepoState;
  clock: Clock;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  protectedPaths: readonly string[];
  exclude: readonly string[];
  /** The detectors of this scan; narrowed to those that apply before any detects, so the file pass serves only them. */
  active: readonly ScanPlan[];
  cache: ScanCache;
  /** Every mechanical check runs through here: recorded, one at a time, the workspace watched. */
  watched: WatchedChecks;
  /** Config plugins that were loaded (repository code too). */
  pluginsLoaded: readonly string[];
  /** A partial scan's files (`--staged`, `--since`, `--files`); absent for a full scan. */
  partial?: PartialScope;
  notes: string[];
  /** Memoised work shared by every detector of one scan. */
  memo: {
    files?: Promise<FileList>;
    status?: Promise<StatusResult>;
    inspections?: Promise<Map<string, Inspected<unknown>[]>>;
    stats: Map<string, FileInfo | undefined>;
    excluded?: (path: string) => boolean;
  };
}

export function createSharedScanState(state: Omit<SharedScanState, 'notes' | 'memo'> & { status?: Promise<StatusResult> }): SharedScanState {
  const { status, ...rest } = state;
  return { ...rest, notes: [], memo: { stats: new Map(), ...(status ? { status } : {}) } };
}

export function fileListOf(shared: SharedScanState): Promise<FileList> {
  return (shared.memo.files ??= shared.partial ? Promise.resolve(changedFileList(shared, shared.partial)) : listWorkspaceFiles(shared));
}

export function statusOf(shared: SharedScanState): Promise<StatusResult> {
  return (shared.memo.status ??= readStatus(shared.git));
}

/** The single pass over the files for every selected detector that declares an inspector. */
function inspectionsOf(shared: SharedScanState): Promise<Map<string, Inspected<unknown>[]>> {
  shared.memo.inspections ??= (async () => {
    const runs: InspectorRun[] = shared.active
      .filter((plan) => plan.detector.inspect && !plan.plugin)
      .map((plan) => ({ id: plan.detector.id, inspector: plan.detector.inspect!, options: plan.options, borrows: plan.builtin === true }));
    const { files } = await fileListOf(shared);
    const wantFor = (path: string, size: number): Want =>
      runs
        .filter((run) => run.inspector.select(path, run.options))
        .map((run) => run.inspector.read(size, run.options) as Want)
        .reduce<Want>((most, w) => (w === 'all' || most === 'all' ? 'all' : w === 'head' || most === 'head' ? 'head' : 'none'), 'none');
    const source = shared.partial ? await partialByteSource(shared.partial, shared.git, shared.root, wantFor) : workingTreeSource(shared.root);
    return inspectFiles(files, runs, source);
  })();
  return shared.memo.inspections;
}

/** The read-only context one detector runs with; the expensive parts are shared. */
export function createDetectorContext(shared: SharedScanState, plan: ScanPlan): DetectorContext<unknown, unknown> {
  const { root } = shared;
  const id = plan.detector.id;
  const local = workspaceFiles(root, shared.memo.stats);
  const statNow = local.stat;
  const readNow = local.read;
  return {
    root,
    runsDir: shared.runsDir,
    scope: shared.partial?.mode ?? 'full',
    ...(shared.partial ? { changes: shared.partial.changes } : {}),
    git: shared.git,
    repo: shared.repo,
    clock: shared.clock,
    logger: shared.logger,
    env: shared.env,
    options: plan.options,
    checks: plan.checks,
    protectedPaths: shared.protectedPaths,
    cache: shared.cache.forDetector(id),
    files: async () => (await fileListOf(shared)).files,
    excluded: (path) => (shared.memo.excluded ??= shared.exclude.length > 0 ? picomatch([...shared.exclude], { dot: true }) : () => false)(path),
    inspected: async () => (await inspectionsOf(shared)).get(id) ?? [],
    stat: async (path) => statNow(path),
    readFile: async (path) => readNow(path),
    async readText(path) {
      const bytes = readNow(path);
      return bytes ? decodeUtf8(bytes) : undefined;
    },
    status: () => statusOf(shared),
    runCheck: (check) => shared.watched.run(id, check),
    note: (message) => shared.notes.push(message.startsWith(`${id}: `) ? message : `${id}: ${message}`),
  };
}
