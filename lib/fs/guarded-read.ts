import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, posix } from 'node:path';
import { AutopackError } from '../util/errors.ts';
import { relativeInside } from './run-layout.ts';

/**
 * Reads that cannot be turned against the reader. A repository decides what its files are:
 * a symlink to `~/.ssh/id_rsa`, a FIFO that blocks `open` forever, `/dev/zero` behind an
 * innocent name, a 5 GB "config". Every read here therefore
 * - resolves the real path and refuses one that leaves the workspace (a symlink whose target
 *   stays inside the workspace is followed: git tracks such links and they are harmless);
 * - checks the file type before opening and again on the open handle, so a FIFO, socket,
 *   device or folder is never read, and opens with O_NONBLOCK (opening a FIFO returns at once
 *   instead of waiting for a writer) and O_NOFOLLOW (the final component is not a symlink,
 *   even if one was swapped in since the check);
 * - reads at most `maxBytes + 1` bytes, whatever the size the file claims.
 */

export type GuardedReadReason = 'missing' | 'outside' | 'symlink_outside' | 'not_regular' | 'too_large' | 'unreadable';

export type GuardedReadResult =
  | { ok: true; bytes: Buffer; size: number }
  | { ok: false; reason: GuardedReadReason; detail: string };

export interface GuardedReadOptions {
  /** Largest file accepted; a larger one is `too_large` and is not read. */
  maxBytes: number;
}

/** The size cap for files an operator or a repository names (config, anchor, reports). */
export const DEFAULT_INPUT_MAX_BYTES = 16 * 1024 * 1024;

// Absent on Windows, where neither a FIFO open nor O_NOFOLLOW applies.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

const failure = (reason: GuardedReadReason, detail: string): GuardedReadResult => ({ ok: false, reason, detail });

/** What a non-regular file is, in words. */
export function describeFileType(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function errnoFailure(error: unknown, what: 'resolve' | 'open'): GuardedReadResult {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return failure('missing', 'no such file');
  if (code === 'EACCES' || code === 'EPERM') return failure('unreadable', 'permission denied');
  // On open, ELOOP means the final component became a symlink after it was resolved.
  if (code === 'ELOOP') return what === 'open' ? failure('symlink_outside', 'replaced by a symlink while being read') : failure('unreadable', 'too many levels of symbolic links');
  return failure('unreadable', code ? `error ${code}` : 'cannot be read');
}

const tooLarge = (size: number, maxBytes: number) => failure('too_large', `${size} bytes, over the limit of ${maxBytes} bytes`);

// The real path of each workspace root, resolved once: detectors read thousands of files.
const realRoots = new Map<string, string>();
function realRootSync(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    if (realRoots.size > 64) realRoots.clear();
    real = (realpathSync.native ?? realpathSync)(root);
    realRoots.set(root, real);
  }
  return real;
}

/** A workspace-relative path that climbs out of the workspace or is absolute, lexically. */
function escapesLexically(relPath: string): boolean {
  const slashed = relPath.replace(/\\/g, '/');
  if (slashed === '' || isAbsolute(relPath) || slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return true;
  const normalized = posix.normalize(slashed);
  return normalized === '..' || normalized.startsWith('../');
}

/**
 * Reads from an open regular file until EOF, at most `maxBytes + 1` bytes. The size from fstat
 * is only a claim (a growing file, /proc), so the buffer grows when the file does.
 */
function readAllSync(fd: number, claimed: number, maxBytes: number): GuardedReadResult {
  let buffer: Buffer = Buffer.allocUnsafe(Math.min(claimed, maxBytes) + 1);
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (total > maxBytes) return tooLarge(total, maxBytes);
      buffer = grow(buffer, total, maxBytes);
    }
    const count = readSync(fd, buffer, total, buffer.length - total, null);
    if (count === 0) break;
    total += count;
  }
  return { ok: true, bytes: buffer.subarray(0, total), size: total };
}

function grow(buffer: Buffer, used: number, maxBytes: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}

function readOpenedSync(fd: number, maxBytes: number): GuardedReadResult {
  const info = fstatSync(fd);
  if (!info.isFile()) return failure('not_regular', describeFileType(info));
  if (info.size > maxBytes) return tooLarge(info.size, maxBytes);
  return readAllSync(fd, info.size, maxBytes);
}

/** Opens and reads a path known to be a real path (no symlink on the way). */
function readRealSync(real: string, maxBytes: number): GuardedReadResult {
  try {
    const info = statSync(real);
    if (!info.isFile()) return failure('not_regular', describeFileType(info));
  } catch (error) {
    return errnoFailure(error, 'resolve');
  }
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (error) {
    return errnoFailure(error, 'open');
  }
  try {
    return readOpenedSync(fd, maxBytes);
  } catch (error) {
    return errnoFailure(error, 'open');
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file inside the workspace (synchronously: for thousands of small files in the page
 * cache this is several times faster than the thread pool). Never throws for a problem with
 * the file; the result says what was wrong.
 */
export function readWorkspaceFileSync(root: string, relPath: string, options: GuardedReadOptions): GuardedReadResult {
  if (escapesLexically(relPath)) return failure('outside', 'the path is absolute or climbs out of the workspace');
  let real: string;
  let realRoot: string;
  try {
    realRoot = realRootSync(root);
    real = (realpathSync.native ?? realpathSync)(join(root, relPath));
  } catch (error) {
    return errnoFailure(error, 'resolve');
  }
  if (relativeInside(realRoot, real) === undefined) return failure('symlink_outside', 'a symlink on the way leads out of the workspace');
  return readRealSync(real, options.maxBytes);
}

async function readRealAsync(real: string, maxBytes: number): Promise<GuardedReadResult> {
  try {
    const info = await stat(real);
    if (!info.isFile()) return failure('not_regular', describeFileType(info));
  } catch (error) {
    return errnoFailure(error, 'resolve');
  }
  let handle;
  try {
    handle = await open(real, OPEN_FLAGS);
  } catch (error) {
    return errnoFailure(error, 'open');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return failure('not_regular', describeFileType(info));
    if (info.size > maxBytes) return tooLarge(info.size, maxBytes);
    let buffer: Buffer = Buffer.allocUnsafe(Math.min(info.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) return tooLarge(total, maxBytes);
        buffer = grow(buffer, total, maxBytes);
      }
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return { ok: true, bytes: buffer.subarray(0, total), size: total };
  } catch (error) {
    return errnoFailure(error, 'open');
  } finally {
    await handle.close();
  }
}

/** The asynchronous twin of {@link readWorkspaceFileSync}, with the same checks. */
export async function readWorkspaceFile(root: string, relPath: string, options: GuardedReadOptions): Promise<GuardedReadResult> {
  if (escapesLexically(relPath)) return failure('outside', 'the path is absolute or climbs out of the workspace');
  let real: string;
  let realRoot: string;
  try {
    realRoot = realRootSync(root);
    real = await realpath(join(root, relPath));
  } catch (error) {
    return errnoFailure(error, 'resolve');
  }
  if (relativeInside(realRoot, real) === undefined) return failure('symlink_outside', 'a symlink on the way leads out of the workspace');
  return readRealAsync(real, options.maxBytes);
}

export interface InputFileOptions {
  /** Default {@link DEFAULT_INPUT_MAX_BYTES}. */
  maxBytes?: number;
  /**
   * The workspace, when the file was found in it rather than named by the operator: then
   * its real path must stay inside the workspace (a symlink out of it is refused).
   */
  root?: string;
}

function inputError(display: string, result: Exclude<GuardedReadResult, { ok: true }>, maxBytes: number): AutopackError {
  switch (result.reason) {
    case 'missing':
      return new AutopackError(`File not found: ${display}`);
    case 'outside':
      return new AutopackError(`Cannot read ${display}: it lies outside the workspace`);
    case 'symlink_outside':
      return new AutopackError(`Cannot read ${display}: it is a symlink that leads out of the workspace`, { hint: 'replace the link by the file itself, or name the target explicitly' });
    case 'not_regular':
      return new AutopackError(`Cannot read ${display}: it is ${result.detail}, not a file`);
    case 'too_large':
      return new AutopackError(`Cannot read ${display}: it is larger than the ${formatBytes(maxBytes)} limit for input files`);
    case 'unreadable':
      return new AutopackError(`Cannot read ${display}: ${result.detail}`);
  }
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes}-byte`;
}

/**
 * Reads a file an operator or a repository names (config, anchor, gap report, plan, proof,
 * baseline policy): a regular file only, size-capped, and — with `root` — never through a
 * symlink out of the workspace. Every problem is an AutopackError (exit 2) naming `display`
 * and never quoting the file.
 */
export async function readInputFile(absPath: string, display: string, options: InputFileOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? DEFAULT_INPUT_MAX_BYTES;
  let real: string;
  try {
    if (options.root !== undefined) {
      if (relativeInside(options.root, absPath) === undefined) throw inputError(display, { ok: false, reason: 'outside', detail: '' }, maxBytes);
      const realRoot = await realpath(options.root);
      real = await realpath(absPath);
      if (relativeInside(realRoot, real) === undefined) throw inputError(display, { ok: false, reason: 'symlink_outside', detail: '' }, maxBytes);
    } else {
      real = await realpath(absPath);
    }
  } catch (error) {
    if (error instanceof AutopackError) throw error;
    throw inputError(display, errnoFailure(error, 'resolve') as Exclude<GuardedReadResult, { ok: true }>, maxBytes);
  }
  const result = await readRealAsync(real, maxBytes);
  if (!result.ok) throw inputError(display, result, maxBytes);
  return result.bytes;
}
