import { lstatSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_INPUT_MAX_BYTES, readWorkspaceFileSync } from '../fs/guarded-read.ts';
import { relativeInside } from '../fs/run-layout.ts';
import type { FileInfo } from '../registry/types.ts';

/**
 * A detector's `stat` and `readFile` of workspace files, wherever the detector runs (the scan's
 * thread, or a plugin's own). Synchronous on purpose: for small files in the page cache,
 * lstatSync and readFileSync are several times faster than the libuv thread pool, and detectors
 * waiting on git child processes lose nothing while the loop is busy.
 */
export function workspaceFiles(root: string, stats: Map<string, FileInfo | undefined> = new Map()) {
  let real: string | undefined;
  const realRoot = () => (real ??= realpathSync(root));
  return {
    /** Size and mtime of a regular file of the workspace; undefined for links, folders, vanished files and files reached through a link out. */
    stat(path: string): FileInfo | undefined {
      if (stats.has(path)) return stats.get(path);
      let info: FileInfo | undefined;
      try {
        const found = lstatSync(join(root, path));
        // A folder on the way may be a symlink out (`.pytest_cache -> /elsewhere`): such a file is not the workspace's.
        const inside = relativeInside(realRoot(), realpathSync(join(root, path))) !== undefined;
        info = found.isFile() && inside ? { path, size: found.size, mtimeMs: found.mtimeMs } : undefined;
      } catch {
        info = undefined;
      }
      stats.set(path, info);
      return info;
    },
    /** The one guarded read: never out of the workspace through a symlink, never a FIFO or device, size-capped. */
    read(path: string): Buffer | undefined {
      const read = readWorkspaceFileSync(root, path, { maxBytes: DEFAULT_INPUT_MAX_BYTES });
      return read.ok ? read.bytes : undefined;
    },
  };
}
