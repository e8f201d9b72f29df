import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInspector, FileView, Inspected } from '../registry/types.ts';

/** What `read: 'head'` gives an inspector: enough to tell text from binary the way git does. */
export const HEAD_BYTES = 8000;

/** Whole-file reads stop here; a larger file is inspected from its size (and head) only. */
export const MAX_READ_BYTES = 32 * 1024 * 1024;

export type Want = 'none' | 'head' | 'all';

export interface InspectorRun {
  id: string;
  inspector: FileInspector<any, any>;
  options: unknown;
  /**
   * Whether the inspector may be lent the pass's reused buffer (the built-in ones, which keep no
   * bytes past `inspect()`); any other inspector gets its own copy, so a verdict that holds on to
   * the bytes stays true.
   */
  borrows?: boolean;
}

/** How a file's bytes arrive: from the working tree (a full scan) or from somewhere else (the index, for --staged). */
export interface ByteSource {
  /**
   * Size and bytes of a file (as much as `want` asks for, once the size is known), never
   * following a symlink and never opening anything but a regular file. The bytes may live in a
   * buffer the next read reuses: copy what must outlive the file's turn.
   */
  read(path: string, want: (size: number) => Want): { size: number; bytes?: Uint8Array } | undefined;
}

const utf8 = new TextDecoder('utf-8');

/** Plugins get text without needing Node's Buffer (or its types): lenient UTF-8, U+FFFD for what is not. */
export const decodeUtf8 = (bytes: Uint8Array): string => utf8.decode(bytes);

/** One function for every view's `text()` (no closure per file and inspector on the scan's hot path). */
function viewText(this: FileView): string | undefined {
  return this.bytes ? decodeUtf8(this.bytes) : undefined;
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Files up to this size are read into one reused buffer: no allocation (and no garbage) per file. */
const REUSED_BYTES = 256 * 1024;
let reused: Buffer | undefined;

function readUpTo(fd: number, length: number): Uint8Array {
  const buffer = length <= REUSED_BYTES ? (reused ??= Buffer.allocUnsafe(REUSED_BYTES)) : Buffer.allocUnsafe(length);
  let offset = 0;
  while (offset < length) {
    const read = readSync(fd, buffer, offset, length - offset, null);
    if (read === 0) break;
    offset += read;
  }
  return buffer.subarray(0, offset);
}

/**
 * The working tree as a byte source. Opened with O_NOFOLLOW (a symlink is not followed, so nothing
 * outside the workspace is read) and O_NONBLOCK (a FIFO opens at once instead of hanging), then
 * fstat'ed on the open descriptor: anything but a regular file is skipped.
 */
export function workingTreeSource(root: string): ByteSource {
  return {
    read(path, want) {
      let fd: number;
      try {
        fd = openSync(join(root, path), OPEN_FLAGS);
      } catch {
        return undefined;
      }
      try {
        const info = fstatSync(fd);
        if (!info.isFile()) return undefined;
        const wanted = want(info.size);
        if (wanted === 'none') return { size: info.size };
        const length = wanted === 'head' || info.size > MAX_READ_BYTES ? Math.min(info.size, HEAD_BYTES) : info.size;
        return { size: info.size, bytes: info.size === 0 ? new Uint8Array(0) : readUpTo(fd, length) };
      } catch {
        return undefined;
      } finally {
        closeSync(fd);
      }
    },
  };
}

const WANT_RANK = { none: 0, head: 1, all: 2 } as const;
/** Files handed over between yields to the event loop, so that git children keep draining their pipes. */
const BATCH = 256;

/**
 * The scan's single pass over the files: each file is opened at most once, read as far as the
 * most demanding inspector that selected it needs, shown to every such inspector, and dropped.
 * Memory stays at one file, whatever the repository's size. A file an inspector asked to read
 * whole but that is larger than MAX_READ_BYTES is shown to it with its head only.
 */
export async function inspectFiles(files: readonly string[], runs: readonly InspectorRun[], source: ByteSource): Promise<Map<string, Inspected<unknown>[]>> {
  const results = new Map<string, Inspected<unknown>[]>(runs.map((run) => [run.id, []]));
  if (runs.length === 0) return results;
  for (let start = 0; start < files.length; start += BATCH) {
    for (const path of files.slice(start, start + BATCH)) {
      const selected = runs.filter((run) => run.inspector.select(path, run.options));
      if (selected.length === 0) continue;
      let wants: Want[] = [];
      const read = source.read(path, (size) => {
        wants = selected.map((run) => run.inspector.read(size, run.options) as Want);
        return wants.reduce<Want>((most, w) => (WANT_RANK[w] > WANT_RANK[most] ? w : most), 'none');
      });
      if (!read) continue;
      let copy: Uint8Array | undefined;
      selected.forEach((run, index) => {
        const w = wants[index]!;
        let bytes: Uint8Array | undefined;
        if (w !== 'none' && read.bytes) {
          const whole = run.borrows ? read.bytes : (copy ??= read.bytes.slice());
          bytes = w === 'head' ? whole.subarray(0, HEAD_BYTES) : whole;
        }
        const view: FileView = bytes ? { path, size: read.size, bytes, text: viewText } : { path, size: read.size, text: viewText };
        const verdict = run.inspector.inspect(view, run.options);
        if (verdict !== undefined) results.get(run.id)!.push({ path, verdict });
      });
    }
    if (start + BATCH < files.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
