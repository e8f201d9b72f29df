import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: a temp file in the same directory (so the rename never
 * crosses a filesystem), flushed, then renamed over the target. Readers see the old
 * content or the new one, never half a file.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: { beforeRename?: () => void } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx', 0o644);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    options.beforeRename?.();
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}

/** Filesystems that have no hard links say so with one of these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Creates a file that must not exist yet, atomically, for a file a person may have written by
 * hand (a config): never replaced, not even one that appears while this runs. The content goes to
 * a temp file in the same directory, flushed, which is then hard-linked to the target: link()
 * fails with EEXIST when anything is there (a dangling symlink too), and readers see no file or
 * the whole file. Where the filesystem has no hard links, an exclusive create (`wx`) keeps the
 * no-overwrite promise, without the atomicity.
 * Throws the filesystem's EEXIST error when the target exists.
 */
export async function createFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx', 0o644);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    try {
      await link(temp, path);
    } catch (error) {
      if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      const direct = await open(path, 'wx', 0o644);
      try {
        await direct.writeFile(content);
        await direct.sync();
      } finally {
        await direct.close();
      }
    }
  } finally {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
  }
}

/** JSON as autopack writes it everywhere: two-space indent, trailing newline. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, toJsonText(value));
}
