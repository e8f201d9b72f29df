import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspaceFileSync } from '../fs/guarded-read.ts';
import { writeRunJson } from '../fs/run-write.ts';
import type { DetectorCache } from '../registry/types.ts';

export interface ScanCache {
  forDetector(detectorId: string): DetectorCache;
}

const CACHE_MAX_BYTES = 1024 * 1024;

/** A cache that remembers nothing: scans that must not write, and tests. */
export const NO_CACHE: ScanCache = { forDetector: () => ({ read: () => undefined, write: async () => {} }) };

/**
 * One small JSON file per detector under `<runs>/.cache/`, holding the value for one key (the
 * state it was computed from). It is read by every scan but written only by one that writes
 * anyway (`--write`): without the flag nothing is written, cache included.
 */
export function runsDirCache(runsDir: string, options: { write: boolean }): ScanCache {
  if (!existsSync(runsDir) && !options.write) return NO_CACHE;
  const dir = join(runsDir, '.cache');
  return {
    forDetector(detectorId) {
      const file = join(dir, `${detectorId}.json`);
      return {
        read(key) {
          // Through the guarded read: a FIFO, a symlink out or a huge file here is no cache, never a hang.
          const read = readWorkspaceFileSync(runsDir, `.cache/${detectorId}.json`, { maxBytes: CACHE_MAX_BYTES });
          if (!read.ok) return undefined;
          try {
            const stored = JSON.parse(read.bytes.toString('utf8')) as { key?: unknown; value?: unknown };
            return stored.key === key ? stored.value : undefined;
          } catch {
            return undefined;
          }
        },
        async write(key, value) {
          if (options.write) await writeRunJson(runsDir, file, { key, value }).catch(() => {});
        },
      };
    },
  };
}
