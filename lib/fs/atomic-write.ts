import { lstatIfExists } from './lstat.ts';
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AutopackError } from '../util/errors.ts';

/** `.<name>.<pid>.<8 hex>.tmp`: the temp file of an atomic write of `<name>` by process `<pid>`. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.([0-9a-f]{8})\.tmp$/;

function tempName(target: string): string {
  return `.${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A temp file left by an atomic write. `live` while its writer's pid still runs on this host. */
export interface LeftoverTempFile {
  path: string;
  /** The artifact it was meant to become. */
  target: string;
  pid: number;
  live: boolean;
}

/**
 * Removes the temp files an interrupted write of the same artifact left beside it (a writer
 * killed between its temp write and its rename). Files of a writer that is still running are
 * left alone: it may be about to rename them. The pid in the name is judged on this host only,
 * which is why artifacts are not shared between hosts.
 */
async function removeLeftoversOf(dir: string, target: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (match?.[1] === target && !isAlive(Number(match[2]))) await rm(join(dir, name), { force: true }).catch(() => {});
  }
}

/**
 * Writes a file atomically: a temp file in the same directory (so the rename never
 * crosses a filesystem), flushed, then renamed over the target. Readers see the old
 * content or the new one, never half a file.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: { beforeRename?: () => void } = {}): Promise<void> {
  // A rename replaces whatever is there: only ever a regular file. Never a device (`--out /dev/null`
  // as root would swap the device node for a file), a link (`/dev/stdout`: the link itself would go), a FIFO, a socket or a folder.
  const existing = lstatIfExists(path);
  if (existing && !existing.isFile()) {
    const kind = existing.isSymbolicLink() ? 'a symlink' : existing.isDirectory() ? 'a folder' : existing.isFIFO() ? 'a FIFO' : existing.isSocket() ? 'a socket' : 'a device';
    throw new AutopackError(`Refusing to write ${path}: it is ${kind}, not a file`, { hint: 'name a regular file (or a path where none exists yet)' });
  }
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  await removeLeftoversOf(dir, basename(path));
  const temp = await writeTempFile(path, content);
  try {
    options.beforeRename?.();
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}

/** Writes `content` to a new temp file beside `path` (named for it, so that gc knows whose it is), flushed to disk. */
async function writeTempFile(path: string, content: string | Uint8Array): Promise<string> {
  const temp = join(dirname(path), tempName(basename(path)));
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  await handle.close();
  return temp;
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
  await mkdir(dirname(path), { recursive: true });
  const temp = await writeTempFile(path, content);
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
  } finally {
    await rm(temp, { force: true }).catch(() => {});
  }
}

/**
 * Every temp file of an interrupted atomic write below `root` (symlinks are not followed;
 * folders named in `skip`, relative to `root`, are not entered), for `gc`.
 */
export async function listLeftoverTempFiles(root: string, options: { skip?: readonly string[] } = {}): Promise<LeftoverTempFile[]> {
  const skip = new Set((options.skip ?? []).map((folder) => join(root, folder)));
  const found: LeftoverTempFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skip.has(path)) await walk(path);
        continue;
      }
      const match = entry.isFile() ? TEMP_NAME.exec(entry.name) : null;
      if (match) found.push({ path, target: join(dir, match[1]!), pid: Number(match[2]), live: isAlive(Number(match[2])) });
    }
  };
  await walk(root);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** JSON as autopack writes it everywhere: two-space indent, trailing newline. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, toJsonText(value));
}
