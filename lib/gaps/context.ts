import { lstat, readFile as readFileBytes } from 'node:fs/promises';
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
  cache: { files?: Promise<FileList>; status?: ReturnType<typeof readStatus>; stats: Map<string, Promise<FileInfo | undefined>> };
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
  const stat = (path: string): Promise<FileInfo | undefined> => {
    let pending = shared.cache.stats.get(path);
    if (!pending) {
      pending = lstat(join(root, path)).then(
        (info) => (info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : undefined),
        () => undefined,
      );
      shared.cache.stats.set(path, pending);
    }
    return pending;
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
    stat,
    async readFile(path) {
      // lstat first: a symlink is never followed, so nothing outside the workspace is read.
      if (!(await stat(path))) return undefined;
      try {
        return await readFileBytes(join(root, path));
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
