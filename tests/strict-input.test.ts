// Inputs are strict: duplicate keys, invalid UTF-8, NUL bytes, unknown YAML tags, alias bombs,
// out-of-range numbers, deep nesting, FIFOs and symlinks out of the workspace are each one
// clear error (exit 2) naming the file, through the parser and through the commands that load
// configs, anchors and gap reports. `validate` refuses what loading refuses.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAnchor } from '../lib/anchor/create-anchor.ts';
import { parseStructuredText } from '../lib/fs/parse-structured.ts';
import { loadModelCatalog } from '../lib/models/catalog.ts';
import { AutopackError } from '../lib/util/errors.ts';
import { runInProcess } from './helpers/cli.ts';
import { makeRepo, tempDir } from './helpers/git-fixture.ts';
import { withinMs } from './helpers/watchdog.ts';

const bytes = (text: string | number[]) => (typeof text === 'string' ? new TextEncoder().encode(text) : new Uint8Array(text));

function parseError(input: string | number[], json: boolean): string {
  try {
    parseStructuredText(bytes(input), 'F', { json });
  } catch (error) {
    assert.instance(error, AutopackError);
    assert.is((error as AutopackError).exitCode, 2);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

test('duplicate keys are refused in JSON and YAML, naming the key and the line', () => {
  assert.is(parseError('{"a": 1,\n "a": 2}', true), "F: duplicate key 'a' (line 2, column 2)");
  assert.is(parseError('{"x": {"b": 1, "\\u0062": 2}}', true), "F: duplicate key 'b' (line 1, column 16)", 'escapes are decoded first');
  assert.is(parseError('a: 1\nb:\n  c: 1\n  c: 2\n', false), "F: duplicate key 'c' (line 4, column 3)");
  assert.is(parseError('1: a\n"1": b\n', false), "F: duplicate key '1' (line 2, column 1)", 'keys that become the same property');
  assert.is(parseError('~: a\nnull: b\n', false), "F: duplicate key '' (line 2, column 1)");
  // The same key in different objects is fine.
  assert.equal(parseStructuredText(bytes('{"a": {"k": 1}, "b": {"k": 2}}'), 'F', { json: true }), { a: { k: 1 }, b: { k: 2 } });
});

test('invalid UTF-8 names the byte offset of the first bad byte; NUL bytes theirs; a BOM is dropped', () => {
  assert.is(parseError([0x61, 0x3a, 0x20, 0xc3, 0x28], false), 'F: invalid UTF-8 at byte offset 3');
  assert.is(parseError([0x7b, 0x7d, 0xed, 0xa0, 0x80], true), 'F: invalid UTF-8 at byte offset 2', 'an encoded surrogate');
  assert.is(parseError([0x61, 0x3a, 0x20, 0xc0, 0xaf], false), 'F: invalid UTF-8 at byte offset 3', 'an overlong form');
  assert.is(parseError([0x61, 0x3a, 0x20, 0xe2, 0x82], false), 'F: invalid UTF-8 at byte offset 3', 'a truncated sequence');
  assert.is(parseError([0xff, 0xfe, 0x7b, 0x00], true), 'F: invalid UTF-8 at byte offset 0', 'UTF-16');
  assert.is(parseError('a: 1\n\u0000b: 2\n', false), 'F: NUL byte at byte offset 5');
  assert.equal(parseStructuredText(bytes([0xef, 0xbb, 0xbf, ...bytes('{"é": "ü"}')]), 'F', { json: true }), { é: 'ü' });
});

test('only plain YAML: unknown tags, 1.1 types, merges, alias bombs and collection keys are refused', () => {
  assert.is(parseError('a: !!js/function "function () {}"\n', false), 'F: unknown YAML tag !!js/function (line 1, column 4)');
  assert.is(parseError('a: !foo x\n', false), 'F: unknown YAML tag !foo (line 1, column 4)');
  assert.match(parseError('a: !!binary aGVsbG8=\n', false), /unknown YAML tag !!binary/);
  assert.match(parseError('a: !!python/object:os.system x\n', false), /unknown YAML tag !!python\/object:os\.system/);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
  assert.match(parseError(bomb, false), /^F: too many YAML aliases/);
  assert.match(parseError('a: *nowhere\n', false), /^F: invalid YAML: Unresolved alias/);
  assert.match(parseError('? [a, b]\n: 1\n', false), /^F: a mapping key must be a plain value, not a list or mapping \(line 1, column 3\)$/);
  assert.match(parseError('a: 1\n---\nb: 2\n', false), /^F: invalid YAML \(line 2, column 1\): more than one document/);
  // YAML 1.2 core, whatever the directive: no `<<` merges, no yes/no booleans, no timestamps.
  assert.equal(parseStructuredText(bytes('%YAML 1.1\n---\nb: yes\nd: 2020-01-01\n<<: {x: 1}\n'), 'F', { json: false }), { b: 'yes', d: '2020-01-01', '<<': { x: 1 } });
  assert.equal(parseStructuredText(bytes('base: &b {x: 1}\ncopy: *b\n'), 'F', { json: false }), { base: { x: 1 }, copy: { x: 1 } }, 'a few aliases are fine');
});

test('syntax errors give line and column and never quote the file', () => {
  assert.is(parseError('{"password": hunter2}', true), 'F: invalid JSON (line 1, column 14): expected a value');
  assert.is(parseError('{\n  "a": 1,\n}', true), 'F: invalid JSON (line 3, column 1): expected a double-quoted property name');
  assert.is(parseError('', true), 'F: invalid JSON (line 1, column 1): unexpected end of input');
  assert.is(parseError('{"a": "x\ny"}', true), 'F: invalid JSON (line 1, column 9): unescaped control character in a string');
  assert.is(parseError('{} {}', true), 'F: invalid JSON (line 1, column 4): unexpected content after the JSON value');
  assert.match(parseError('a: [1, 2\n', false), /^F: invalid YAML \(line \d+, column \d+\): /);
});

test('numbers must be exact and finite; nesting is bounded', () => {
  assert.is(parseError('{"budget": {"cap": 1e400}}', true), 'F: number out of range at $.budget.cap (numbers must be finite and at most 2^53 in magnitude)');
  assert.match(parseError('a: [.inf]\n', false), /number out of range at \$\.a\[0\]/);
  assert.match(parseError('a: .nan\n', false), /number out of range at \$\.a/);
  assert.match(parseError('{"n": 9007199254740993}', true), /number out of range at \$\.n/);
  assert.equal(parseStructuredText(bytes('{"n": 9007199254740991, "f": -1.5e10}'), 'F', { json: true }), { n: 9007199254740991, f: -1.5e10 });
  assert.match(parseError(`${'['.repeat(65)}${']'.repeat(65)}`, true), /^F: nested more than 64 levels deep \(line 1, column 65\)$/);
  assert.match(parseError('['.repeat(500_000), true), /^F: nested more than 64 levels deep/);
  assert.match(parseError(`a: ${'['.repeat(65)}${']'.repeat(65)}`, false), /^F: nested more than 64 levels deep/);
  // Deep YAML is refused before yaml composes it: near the stack limit V8 could abort the
  // process (this exact sequence once did), so these must be quick, clean errors.
  for (const depth of [1000, 100_000, 1000, 20_000]) assert.match(parseError(`a: ${'['.repeat(depth)}${']'.repeat(depth)}`, false), /^F: nested too deeply to parse/);
  assert.match(parseError(`${'- '.repeat(5000)}x\n`, false), /^F: nested too deeply to parse/);
  assert.match(parseError(Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'), false), /^F: nested too deeply to parse/);
  // Brackets in quoted scalars, and many shallow lists, are not nesting.
  assert.equal(parseStructuredText(bytes(`a: "${'['.repeat(5000)}"\nb: '${'{'.repeat(5000)}'\n`), 'F', { json: false }), { a: '['.repeat(5000), b: '{'.repeat(5000) });
  const shallow = Array.from({ length: 400 }, (_, i) => `k${i}: [a, {b: 1}]`).join('\n');
  assert.is(Object.keys(parseStructuredText(bytes(shallow), 'F', { json: false }) as object).length, 400);
  // Alias expansion cannot smuggle depth past the limit either.
  const deep = `a: &a ${'['.repeat(60)}${']'.repeat(60)}\nb: ${'['.repeat(10)}*a${']'.repeat(10)}\n`;
  assert.match(parseError(deep, false), /^F: nested more than 64 levels deep$/);
  assert.equal(parseStructuredText(bytes('{"__proto__": {"polluted": true}}'), 'F', { json: true }), JSON.parse('{"__proto__": {"polluted": true}}'));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test('a list where a mapping belongs is a type error (valibot would let an empty one through)', async () => {
  const anchor = createAnchor({ projectId: 'demo', now: new Date('2026-01-01T00:00:00Z') }) as unknown as { pivot_intentions: Record<string, unknown> };
  anchor.pivot_intentions.governance_review = [];
  const repo = makeRepo({ files: { 'README.md': 'r\n', 'anchor.json': JSON.stringify(anchor), 'list.json': '[]\n', 'detectors.yaml': 'detectors:\n  root_clutter: []\n' } });
  const checks: Array<[string[], RegExp]> = [
    [['anchor', 'validate', 'anchor.json'], /\$\.pivot_intentions\.governance_review: Expected type 'object', got 'array'/],
    [['gaps', 'scan', '--config', 'list.json'], /list\.json: invalid configuration:\n\s+\$: Expected type 'object', got 'array'/],
    [['validate', 'list.json', '--kind', 'config'], /\$: Data must be an object, got array/],
    [['gaps', 'scan', '--config', 'detectors.yaml'], /\$\.detectors\.root_clutter: Expected type 'object', got 'array'/],
    [['validate', 'detectors.yaml', '--kind', 'config'], /\$\.detectors\.root_clutter: Expected type 'object', got 'array'/],
  ];
  for (const [args, expected] of checks) {
    const result = await runInProcess(args, { cwd: repo.dir });
    assert.is(result.code, 2, args.join(' '));
    assert.match(`${result.stdout}${result.stderr}`, expected, args.join(' '));
  }
});

const NOW = new Date('2026-01-01T00:00:00Z');

function anchorWithDuplicatePolicy(): string {
  const text = JSON.stringify(createAnchor({ projectId: 'demo', now: NOW }), null, 2);
  // default_policy "deny" followed by "allow": JSON.parse would keep "allow".
  return text.replace('"default_policy": "deny",', '"default_policy": "deny",\n      "default_policy": "allow",');
}

test('an anchor that says deny, then allow, is refused by anchor validate, validate and plan propose', async () => {
  const repo = makeRepo({ files: { 'README.md': 'r\n', 'NOTES.md': 'n\n', 'anchor.json': anchorWithDuplicatePolicy() } });
  const scan = await runInProcess(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir });
  writeFileSync(join(repo.dir, 'report.json'), scan.stdout);
  for (const args of [['anchor', 'validate', 'anchor.json'], ['validate', 'anchor.json'], ['plan', 'propose', '--anchor-path', 'anchor.json', '--gap-report-path', 'report.json']]) {
    const result = await runInProcess(args, { cwd: repo.dir });
    assert.is(result.code, 2, args.join(' '));
    assert.match(result.stderr, /anchor\.json: duplicate key 'default_policy' \(line \d+, column \d+\)/, args.join(' '));
    assert.is(result.stdout, '', args.join(' '));
    assert.not.match(result.stderr, /\n\s+at /);
  }
});

test('a config that is a FIFO, a symlink out of the workspace, or malformed is refused, never hangs', async () => {
  const outside = tempDir('autopack-outside-');
  writeFileSync(join(outside, 'secret.yaml'), 'project_id: TOP-SECRET\nfail_on: sometimes\n');
  const leaky = makeRepo({ files: { 'README.md': 'r\n' } });
  symlinkSync(join(outside, 'secret.yaml'), join(leaky.dir, 'autopack.config.yaml'));
  const refused = await runInProcess(['gaps', 'scan', '--only', 'root_clutter'], { cwd: leaky.dir });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /Cannot read autopack\.config\.yaml: it is a symlink that leads out of the workspace/);
  assert.not.match(refused.stderr, /TOP-SECRET|sometimes/);
  // validate reads the workspace's own config file as loading does.
  const validated = await runInProcess(['validate', 'autopack.config.yaml'], { cwd: leaky.dir });
  assert.is(validated.code, 2);
  assert.match(validated.stderr, /Cannot read autopack\.config\.yaml: it is a symlink that leads out of the workspace/);
  assert.not.match(`${validated.stdout}${validated.stderr}`, /TOP-SECRET|sometimes/);
  // So does the model catalog: the workspace's config/models.yaml linking out is refused (seed catalog, with a warning).
  mkdirSync(join(leaky.dir, 'config'));
  symlinkSync(join(outside, 'secret.yaml'), join(leaky.dir, 'config', 'models.yaml'));
  const catalog = await loadModelCatalog(leaky.dir);
  assert.is(catalog.source, 'seed');
  assert.match(catalog.warning ?? '', /config\/models\.yaml: it is a symlink that leads out of the workspace/);
  assert.not.match(catalog.warning ?? '', /TOP-SECRET|sometimes/);
  // Named by the operator, the same file is read (and judged on its content).
  const named = await runInProcess(['gaps', 'scan', '--only', 'root_clutter', '--config', join(outside, 'secret.yaml')], { cwd: leaky.dir });
  assert.is(named.code, 2);
  assert.match(named.stderr, /fail_on: Value 'sometimes' not in allowed values/);

  const piped = makeRepo({ files: { 'README.md': 'r\n' } });
  const fifo = join(piped.dir, 'autopack.config.yaml');
  execFileSync('mkfifo', [fifo]);
  for (const args of [['gaps', 'scan'], ['gaps', 'scan', '--config', 'autopack.config.yaml'], ['validate', 'autopack.config.yaml']]) {
    const result = await withinMs(10_000, args.join(' '), () => runInProcess(args, { cwd: piped.dir }), [fifo]);
    assert.is(result.code, 2, args.join(' '));
    assert.match(result.stderr, /Cannot read autopack\.config\.yaml: it is a FIFO \(named pipe\), not a file/);
  }
  for (const [content, expected] of [
    ['fail_on: never\nfail_on: blocker\n', /autopack\.config\.yaml: duplicate key 'fail_on' \(line 2, column 1\)/],
    ['project_id: !!js/function x\n', /autopack\.config\.yaml: unknown YAML tag !!js\/function/],
    [Buffer.from([0x70, 0x3a, 0x20, 0xff, 0x0a]), /autopack\.config\.yaml: invalid UTF-8 at byte offset 3/],
  ] as const) {
    const repo = makeRepo({ files: { 'README.md': 'r\n', 'autopack.config.yaml': content } });
    const result = await runInProcess(['gaps', 'scan'], { cwd: repo.dir });
    assert.is(result.code, 2);
    assert.match(result.stderr, expected);
    assert.is(result.stdout, '');
  }
});

test('validate and loading agree on a config: a check cwd outside the workspace is refused by both', async () => {
  const cases: Array<[string, number]> = [
    ['../', 2],
    ['..', 2],
    ['/etc', 2],
    ['sub/../../x', 2],
    ['C:\\Windows', 2],
    ['sub', 0],
    ['.', 0],
  ];
  for (const [cwd, expected] of cases) {
    const config = `checks:\n  doc_drift:\n    - { id: docs, run: [python3, check.py], cwd: ${JSON.stringify(cwd)} }\n`;
    const repo = makeRepo({ files: { 'README.md': 'r\n', 'autopack.config.yaml': config } });
    const validated = await runInProcess(['validate', 'autopack.config.yaml'], { cwd: repo.dir });
    const loaded = await runInProcess(['gaps', 'scan', '--only', 'root_clutter', '--fail-on', 'never'], { cwd: repo.dir });
    assert.is(validated.code, expected, `validate, cwd ${cwd}: ${validated.stderr}`);
    assert.is(loaded.code, expected, `gaps scan, cwd ${cwd}: ${loaded.stderr}`);
    if (expected === 2) {
      assert.match(validated.stdout, /\$\.checks\.doc_drift\[0\]\.cwd: .*a relative path inside the workspace/);
      assert.match(loaded.stderr, /autopack\.config\.yaml: invalid configuration:\n\s+\$\.checks\.doc_drift\[0\]\.cwd: /);
    }
  }
});

test.run();
