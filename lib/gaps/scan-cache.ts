import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkspaceFileSync } from '../fs/guarded-read.ts';
import { writeRunJson } from '../fs/run-write.ts';
import type { DetectorCache } from '../registry/types.ts';

/** A detector's cache as the scan holds it. */
export interface ScanDetectorCache extends DetectorCache {
  /** What is stored, whatever its key: a plugin's thread gets it up front, since `read()` is synchronous. */
  stored(): { key: string; value: unknown } | undefined;
}

export interface ScanCache {
  forDetector(detectorId: string): ScanDetectorCache;
}

const CACHE_MAX_BYTES = 1024 * 1024;

/** A cache that remembers nothing: scans that must not write, and tests. */
export const NO_CACHE: ScanCache = { forDetector: () => ({ read: () => undefined, stored: () => undefined, write: async () => {} }) };

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
      const stored = (): { key: string; value: unknown } | undefined => {
        // Through the guarded read: a FIFO, a symlink out or a huge file here is no cache, never a hang.
        const read = readWorkspaceFileSync(runsDir, `.cache/${detectorId}.json`, { maxBytes: CACHE_MAX_BYTES });
        if (!read.ok) return undefined;
        try {
          const parsed = JSON.parse(read.bytes.toString('utf8')) as { key?: unknown; value?: unknown };
          return typeof parsed.key === 'string' ? { key: parsed.key, value: parsed.value } : undefined;
        } catch {
          return undefined;
        }
      };
      return {
        stored,
        read: (key) => {
          const entry = stored();
          return entry?.key === key ? entry.value : undefined;
        },
        async write(key, value) {
          if (options.write) await writeRunJson(runsDir, file, { key, value }).catch(() => {});
        },
      };
    },
  };
}
