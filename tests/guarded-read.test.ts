// Guarded reads with real files, symlinks, FIFOs, sockets and devices: nothing outside the
// workspace is read, nothing but a regular file is read, nothing is read past its cap, and
// nothing blocks.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readInputFile, readWorkspaceFile, readWorkspaceFileSync, type GuardedReadResult } from '../lib/fs/guarded-read.ts';
import { AutopackError } from '../lib/util/errors.ts';
import { REPO_ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/git-fixture.ts';
import { runIsolated, withinMs } from './helpers/watchdog.ts';

const SECRET = 'TOP-SECRET-OUTSIDE-CONTENT';

/** A workspace with a file, a folder, links in and out, and a secret outside it. */
function workspace() {
  const outside = tempDir('autopack-outside-');
  writeFileSync(join(outside, 'secret.txt'), `${SECRET}\n`);
  const root = tempDir('autopack-ws-');
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs', 'a.md'), 'hello\n');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(outside, join(root, 'outdir'));
  symlinkSync('docs/a.md', join(root, 'inside-link.md'));
  symlinkSync('/dev/zero', join(root, 'zero'));
  symlinkSync(join(root, 'docs'), join(root, 'docs-link'));
  execFileSync('mkfifo', [join(root, 'pipe')]);
  return { root, outside };
}

const reason = (result: GuardedReadResult) => (result.ok ? 'ok' : result.reason);

async function both(root: string, rel: string, maxBytes = 1024): Promise<[string, string]> {
  return [reason(readWorkspaceFileSync(root, rel, { maxBytes })), reason(await readWorkspaceFile(root, rel, { maxBytes }))];
}

test('a regular file is read, with its size; a symlink that stays inside is followed', async () => {
  const { root } = workspace();
  for (const rel of ['docs/a.md', 'inside-link.md', 'docs-link/a.md', './docs/../docs/a.md']) {
    const sync = readWorkspaceFileSync(root, rel, { maxBytes: 100 });
    const async = await readWorkspaceFile(root, rel, { maxBytes: 100 });
    for (const result of [sync, async]) {
      assert.ok(result.ok, rel);
      if (result.ok) {
        assert.is(Buffer.from(result.bytes).toString('utf8'), 'hello\n');
        assert.is(result.size, 6);
      }
    }
  }
});

test('missing files, lexical escapes and symlinks out of the workspace', async () => {
  const { root } = workspace();
  assert.equal(await both(root, 'nope.txt'), ['missing', 'missing']);
  assert.equal(await both(root, 'docs/a.md/x'), ['missing', 'missing']);
  for (const rel of ['../x', '/etc/hostname', 'docs/../../x', '', 'C:/x']) assert.equal(await both(root, rel), ['outside', 'outside'], rel);
  // The final component, or a folder on the way, or a link to a device: never followed out.
  for (const rel of ['leak.txt', 'outdir/secret.txt', 'zero']) assert.equal(await both(root, rel), ['symlink_outside', 'symlink_outside'], rel);
  const result = readWorkspaceFileSync(root, 'leak.txt', { maxBytes: 100 });
  assert.not.ok(JSON.stringify(result).includes(SECRET), 'nothing of the target is returned');
});

test('folders, FIFOs and sockets are not regular files, and never block', async () => {
  const { root } = workspace();
  const socketPath = join(root, 'sock');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  try {
    const results = await withinMs(5000, 'async reads', async () => [await both(root, 'docs'), await both(root, 'pipe'), await both(root, 'sock')], [join(root, 'pipe')]);
    assert.equal(results, [
      ['not_regular', 'not_regular'],
      ['not_regular', 'not_regular'],
      ['not_regular', 'not_regular'],
    ]);
    const detail = readWorkspaceFileSync(root, 'pipe', { maxBytes: 10 });
    assert.is(detail.ok ? '' : detail.detail, 'a FIFO (named pipe)');
  } finally {
    server.close();
  }
});

test('the synchronous read of a FIFO returns at once (in a child process with a hard timeout)', () => {
  const { root } = workspace();
  const module = join(REPO_ROOT, 'lib/fs/guarded-read.ts');
  const out = runIsolated(`
    import { readWorkspaceFileSync } from ${JSON.stringify(module)};
    const result = readWorkspaceFileSync(${JSON.stringify(root)}, 'pipe', { maxBytes: 10 });
    process.stdout.write(result.ok ? 'ok' : result.reason);
  `);
  assert.is(out, 'not_regular');
});

test('the size cap: exactly maxBytes is read, one byte more is too large, a sparse giant is never read', async () => {
  const { root } = workspace();
  writeFileSync(join(root, 'ten.txt'), '0123456789');
  assert.equal(await both(root, 'ten.txt', 10), ['ok', 'ok']);
  assert.equal(await both(root, 'ten.txt', 9), ['too_large', 'too_large']);
  writeFileSync(join(root, 'giant.bin'), '');
  truncateSync(join(root, 'giant.bin'), 8 * 1024 * 1024 * 1024);
  assert.equal(await both(root, 'giant.bin', 1024 * 1024), ['too_large', 'too_large']);
});

async function inputError(path: string, display: string, options: { root?: string; maxBytes?: number } = {}): Promise<AutopackError> {
  try {
    await withinMs(5000, `readInputFile ${display}`, () => readInputFile(path, display, options), [path]);
  } catch (error) {
    if (error instanceof AutopackError) return error;
    throw error;
  }
  throw new Error(`${display} was read`);
}

test('readInputFile: regular files only, each refusal a clear error naming the file (exit 2)', async () => {
  const { root } = workspace();
  assert.is((await readInputFile(join(root, 'docs/a.md'), 'docs/a.md')).toString('utf8'), 'hello\n');
  const cases: Array<[string, RegExp]> = [
    ['pipe', /^Cannot read pipe: it is a FIFO \(named pipe\), not a file$/],
    ['docs', /^Cannot read docs: it is a directory, not a file$/],
    ['zero', /^Cannot read zero: it is a character device, not a file$/],
    ['nope.json', /^File not found: nope\.json$/],
  ];
  for (const [name, expected] of cases) {
    const error = await inputError(join(root, name), name);
    assert.match(error.message, expected);
    assert.is(error.exitCode, 2);
  }
  writeFileSync(join(root, 'big.yaml'), 'x'.repeat(2048));
  assert.match((await inputError(join(root, 'big.yaml'), 'big.yaml', { maxBytes: 1024 })).message, /^Cannot read big\.yaml: it is larger than the 1 KiB limit for input files$/);
  writeFileSync(join(root, 'huge.yaml'), '');
  truncateSync(join(root, 'huge.yaml'), 17 * 1024 * 1024);
  assert.match((await inputError(join(root, 'huge.yaml'), 'huge.yaml')).message, /larger than the 16 MiB limit/);
});

test('readInputFile with root: a file found in the workspace never leads out of it', async () => {
  const { root, outside } = workspace();
  for (const name of ['leak.txt', 'outdir/secret.txt']) {
    const error = await inputError(join(root, name), name, { root });
    assert.match(error.message, new RegExp(`^Cannot read ${name.replace('.', '\\.')}: it is a symlink that leads out of the workspace$`));
    assert.not.ok(`${error.message}${error.hint}`.includes(SECRET));
  }
  assert.match((await inputError(join(outside, 'secret.txt'), 'elsewhere', { root })).message, /^Cannot read elsewhere: it lies outside the workspace$/);
  // The operator may name a file anywhere, also through a link.
  assert.is((await readInputFile(join(root, 'leak.txt'), 'leak.txt')).toString('utf8'), `${SECRET}\n`);
  assert.is((await readInputFile(join(root, 'inside-link.md'), 'inside-link.md', { root })).toString('utf8'), 'hello\n');
});

test.run();
