import type { Git } from './git.ts';

export type Want = 'none' | 'head' | 'all';

export interface Blob {
  size: number;
  bytes?: Uint8Array;
}

/**
 * Reads blobs out of the object store with one `git cat-file --batch`, streaming: each object's
 * header gives its size, `want(sha, size)` says how much to keep (`head` keeps `headBytes`), and
 * the rest of its bytes is dropped as it passes, so memory stays bounded whatever is staged.
 */
export function readBlobs(git: Git, shas: readonly string[], want: (sha: string, size: number) => Want, options: { headBytes: number; maxBytes: number; timeoutMs?: number }): Promise<Map<string, Blob>> {
  const unique = [...new Set(shas)];
  const blobs = new Map<string, Blob>();
  if (unique.length === 0) return Promise.resolve(blobs);
  return new Promise((resolve, reject) => {
    const child = git.spawn(['cat-file', '--batch']);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`git cat-file timed out after ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    let pending: Buffer = Buffer.alloc(0);
    let current: { sha: string; size: number; keep: number; chunks: Buffer[]; kept: number; left: number } | undefined;
    let index = 0;
    const drain = () => {
      for (;;) {
        if (!current) {
          const newline = pending.indexOf(10);
          if (newline < 0) return;
          const header = pending.subarray(0, newline).toString('utf8');
          pending = pending.subarray(newline + 1);
          const sha = unique[index++]!;
          const match = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
          if (!match) continue; // `<sha> missing`: nothing follows
          const size = Number(match[3]);
          const wanted = want(sha, size);
          const keep = wanted === 'none' ? 0 : wanted === 'head' || size > options.maxBytes ? Math.min(size, options.headBytes) : size;
          current = { sha, size, keep, chunks: [], kept: 0, left: size + 1 };
        }
        if (pending.length === 0) return;
        const take = Math.min(current.left, pending.length);
        const piece = pending.subarray(0, take);
        pending = pending.subarray(take);
        if (current.kept < current.keep) {
          const part = piece.subarray(0, current.keep - current.kept);
          current.chunks.push(Buffer.from(part));
          current.kept += part.length;
        }
        current.left -= take;
        if (current.left === 0) {
          blobs.set(current.sha, { size: current.size, ...(current.keep > 0 || current.size === 0 ? { bytes: Buffer.concat(current.chunks).subarray(0, current.keep) } : {}) });
          current = undefined;
        }
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      drain();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(blobs);
      else reject(new Error(`git cat-file --batch exited with ${code}`));
    });
    child.stdin.end(`${unique.join('\n')}\n`);
  });
}

/** Which of `paths` (relative to the git client's folder) HEAD has, from one `git cat-file --batch-check`. */
export function pathsInHead(git: Git, paths: readonly string[], timeoutMs = 10_000, kind = /^[0-9a-f]+ blob /): Promise<Set<string>> {
  const found = new Set<string>();
  if (paths.length === 0) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const child = git.spawn(['cat-file', '--batch-check']);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', () => {
      clearTimeout(timer);
      // One answer line per request, in order: `<sha> <type> <size>` or `<request> missing`.
      output.split('\n').slice(0, paths.length).forEach((line, index) => {
        if (!line.endsWith(' missing') && kind.test(line)) found.add(paths[index]!);
      });
      resolve(found);
    });
    child.stdin.end(paths.map((path) => `HEAD:./${path}\n`).join(''));
  });
}

/** Which of `paths` HEAD has as files or as folders (with `git cat-file --batch-check`, `HEAD:./path`). */
export function treeHas(git: Git, paths: readonly string[]): Promise<Set<string>> {
  return pathsInHead(git, paths, 10_000, /^[0-9a-f]+ (blob|tree) /);
}
