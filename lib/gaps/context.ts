import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckSpec } from '../contracts/config.ts';
import type { Git, RepoState } from '../git/git.ts';
import { readStatus } from '../git/status.ts';
import type { DetectorContext, FileInfo } from '../registry/types.ts';
import { runCheck } from '../runner/run-check.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { listWorkspaceFiles, type FileList } from './file-list.ts';

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
  optionsById: ReadonlyMap<string, unknown>;
  checksById: Readonly<Record<string, readonly CheckSpec[]>>;
  notes: string[];
  /** Memoised work shared by every detector of one scan. */
  cache: { files?: Promise<FileList>; status?: ReturnType<typeof readStatus>; stats: Map<string, FileInfo | undefined> };
}

const DEFAULT_CHECK_TIMEOUT_MS = 60_000;

export function createSharedScanState(
  state: Omit<SharedScanState, 'notes' | 'cache'>,
): SharedScanState {
  return { ...state, notes: [], cache: { stats: new Map() } };
}

export function fileListOf(shared: SharedScanState): Promise<FileList> {
  return (shared.cache.files ??= listWorkspaceFiles(shared));
}

/** The read-only context one detector runs with; the expensive parts are shared. */
export function createDetectorContext<TOptions>(shared: SharedScanState, detectorId: string): DetectorContext<TOptions> {
  const { root } = shared;
  // Synchronous on purpose: for thousands of small files in the page cache, lstatSync and
  // readFileSync are 3-5x faster than the libuv thread pool (measured in bench/), and
  // detectors waiting on git child processes lose nothing while the loop is busy.
  const statNow = (path: string): FileInfo | undefined => {
    if (shared.cache.stats.has(path)) return shared.cache.stats.get(path);
    let info: FileInfo | undefined;
    try {
      const stats = lstatSync(join(root, path));
      info = stats.isFile() ? { path, size: stats.size, mtimeMs: stats.mtimeMs } : undefined;
    } catch {
      info = undefined;
    }
    shared.cache.stats.set(path, info);
    return info;
  };
  return {
    root,
    runsDir: shared.runsDir,
    git: shared.git,
    repo: shared.repo,
    clock: shared.clock,
    logger: shared.logger,
    env: shared.env,
    options: shared.optionsById.get(detectorId) as TOptions,
    optionsOf: (id) => shared.optionsById.get(id),
    checks: shared.checksById[detectorId],
    protectedPaths: shared.protectedPaths,
    files: async () => (await fileListOf(shared)).files,
    stat: async (path) => statNow(path),
    async readFile(path) {
      // lstat first: a symlink is never followed, so nothing outside the workspace is read.
      if (!statNow(path)) return undefined;
      try {
        return readFileSync(join(root, path));
      } catch {
        return undefined;
      }
    },
    status: () => (shared.cache.status ??= readStatus(shared.git)),
    runCheck: (check) =>
      runCheck({
        id: check.id,
        argv: check.argv,
        cwd: check.cwd ? join(root, check.cwd) : root,
        timeoutMs: check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
        env: shared.env,
        clock: shared.clock,
        redact: { paths: [[root, '<workspace>']] },
      }),
    note: (message) => shared.notes.push(`${detectorId}: ${message}`),
  };
}
