// One plugin cannot take the scan down or corrupt its output: invalid findings, a throw and a
// detect() that never settles each become that detector's own `unknown` gap; what a plugin
// prints goes to stderr; SIGTERM ends the command promptly even while a plugin hangs. A
// configured plugin runs in a thread of its own, so even one that never yields (a busy loop in
// detect, isEnabled or its inspector) is stopped at its time limit or by a signal.
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBin } from './helpers/cli.ts';
import { makeRepo, tempDir } from './helpers/git-fixture.ts';
import { interruptOnceStarted } from './helpers/interrupt.ts';

function withPlugin(detect: string, config = '') {
  return makeRepo({
    files: {
      'README.md': '# r\n',
      'autopack.config.yaml': `plugins: [./plugin.mjs]\n${config}`,
      'plugin.mjs': `export default { id: 'probe', title: 'Probe', messages: { m: { title: '{count} things in {where}', params: ['count', 'where'] } }, detect: ${detect} };\n`,
    },
    worktree: { 'NOTES.md': 'n\n' },
  });
}

async function scan(repo: ReturnType<typeof makeRepo>, extra: string[] = []) {
  const result = await runBin(['gaps', 'scan', '--fail-on', 'never', ...extra], { cwd: repo.dir, timeoutMs: 30_000 });
  assert.is(result.code, 0, result.stderr);
  return { ...result, report: JSON.parse(result.stdout) as { gaps: Array<{ gap_type: string; detector: string; message_id: string; title: string; description: string; detection_signals: string[] }> } };
}

const probeGap = (report: Awaited<ReturnType<typeof scan>>['report']) => report.gaps.find((gap) => gap.detector === 'probe');

test('an invalid finding becomes the plugin own unknown gap naming the field; the other detectors still report', async () => {
  const cases: Array<[string, RegExp]> = [
    ["() => [{ inputs: ['x'], params: { count: 1, where: 'y' }, risk: 'apocalyptic' }]", /\$\[0\]\.risk: Value 'apocalyptic' not in allowed values/],
    ["() => [{ inputs: ['x'], params: { count: 1, where: 'y' }, estimated_actions: -5 }]", /\$\[0\]\.estimated_actions: Value below minimum 0/],
    ["() => [{ inputs: ['x'], params: { count: 1, where: 'y' }, evidence: { file_paths: 'a.md' } }]", /\$\[0\]\.evidence\.file_paths: Expected type 'array'/],
    ["() => [{ inputs: ['x'] }]", /\$\[0\]\.params: no value for \{count\}, \{where\} of message 'm'/],
    ["() => 'nope'", /detect\(\) must return an array/],
  ];
  for (const [detect, pattern] of cases) {
    const { report } = await scan(withPlugin(detect));
    const gap = probeGap(report)!;
    assert.equal([gap.gap_type, gap.message_id], ['unknown', 'invalid_finding'], detect);
    assert.match(gap.detection_signals.join('\n') + gap.description, pattern);
    assert.ok(report.gaps.some((g) => g.gap_type === 'root_clutter'), 'root_clutter still reported');
  }
});

test('a detect() that never settles is timed out; the scan finishes and exits', async () => {
  const { report } = await scan(withPlugin('() => new Promise(() => {})', 'detectors:\n  probe: { timeout_s: 1 }\n'));
  const gap = probeGap(report)!;
  assert.equal([gap.gap_type, gap.message_id], ['unknown', 'detector_timeout']);
  assert.match(gap.description, /did not finish within 1s/);
});

test('whatever a plugin prints goes to stderr; stdout is the report alone', async () => {
  const result = await scan(withPlugin("() => { console.log('hello from the plugin'); process.stdout.write('raw\\n'); return []; }"));
  assert.match(result.stderr, /hello from the plugin/);
  assert.match(result.stderr, /raw/);
  assert.ok(result.report.gaps, 'stdout parses as the report');
});

test('--only naming a plugin in a scan that loads none (staged, --no-checks) says why it is unknown', async () => {
  const repo = withPlugin('() => []');
  for (const args of [['--staged'], ['--no-checks']]) {
    const result = await runBin(['gaps', 'scan', ...args, '--only', 'probe'], { cwd: repo.dir });
    assert.is(result.code, 2);
    assert.match(result.stderr, /Unknown detector in --only: probe/);
    assert.match(result.stderr, /hint: the config's plugins \(\.\/plugin\.mjs\) are not loaded: this scan runs no repository code; pass --checks to load them/);
  }
});

test('text output says why a detector failed', async () => {
  const repo = withPlugin("() => { throw new Error('cannot read the license list'); }");
  const result = await runBin(['gaps', 'scan', '--format', 'text', '--fail-on', 'never'], { cwd: repo.dir });
  assert.match(result.stdout, /Detector probe failed\n\s+Detector probe threw an error, so its part of the workspace was not checked: cannot read the license list/);
});

test('SIGTERM ends a scan within 2 s while a plugin hangs', async () => {
  const marker = 'started.txt';
  const repo = withPlugin(`async (ctx) => { (await import('node:fs')).writeFileSync(ctx.root + '/${marker}', ''); return new Promise(() => {}); }`);
  const { code, ms } = await interruptOnceStarted(['gaps', 'scan'], repo.dir, join(repo.dir, marker));
  assert.ok(ms < 2000, `exited ${ms} ms after SIGTERM`);
  assert.is(code, 130);
});

function withPluginFile(source: string, config = '', extra: Record<string, string> = {}) {
  return makeRepo({
    files: { 'README.md': '# r\n', 'autopack.config.yaml': `plugins: [./plugin.mjs]\n${config}`, 'plugin.mjs': source, ...extra },
    worktree: { 'NOTES.md': 'n\n' },
  });
}

const SPIN = `import { writeFileSync } from 'node:fs';\nconst spin = (ctx) => { writeFileSync(ctx.root + '/started.txt', ''); for (;;) {} };\n`;

test('a detector that never yields (detect, isEnabled or its inspector) is timed out; the others still report', async () => {
  const cases: Array<[string, RegExp]> = [
    [`${SPIN}export default { id: 'probe', title: 'Probe', detect: spin };\n`, /probe did not finish within 1s/],
    [`${SPIN}export default { id: 'probe', title: 'Probe', isEnabled: spin, detect: () => [] };\n`, /isEnabled\(\) did not finish within 1s/],
    [
      `export default { id: 'probe', title: 'Probe', inspect: { select: () => true, read: () => 'none', inspect() { for (;;) {} } }, async detect(ctx) { await ctx.inspected(); return []; } };\n`,
      /probe did not finish within 1s/,
    ],
  ];
  for (const [source, pattern] of cases) {
    const started = Date.now();
    const { report } = await scan(withPluginFile(source, 'detectors:\n  probe: { timeout_s: 1 }\n'));
    assert.ok(Date.now() - started < 15_000, 'the scan finished');
    const gap = probeGap(report)!;
    assert.equal(gap.gap_type, 'unknown', source);
    assert.match(gap.description, pattern);
    assert.ok(report.gaps.some((g) => g.gap_type === 'root_clutter'), 'root_clutter still reported');
  }
});

test("a plugin that exits its thread, throws late, leaves a rejection unhandled or returns a function fails alone", async () => {
  const source = `export default [
  { id: 'exiter', title: 'Exiter', detect() { process.exit(3); } },
  { id: 'late_thrower', title: 'Late', detect() { setTimeout(() => { throw new Error('late boom'); }, 10); return new Promise(() => {}); } },
  { id: 'rejecter', title: 'Rejecter', detect() { Promise.reject(new Error('nobody caught this')); return new Promise(() => {}); } },
  { id: 'fn_returner', title: 'Fn', detect() { return [{ inputs: ['x'], extra: () => 1 }]; } },
];
`;
  const { report } = await scan(withPluginFile(source));
  const failed = Object.fromEntries(report.gaps.filter((gap) => gap.message_id === 'detector_failed').map((gap) => [gap.detector, gap.description]));
  assert.match(failed.exiter ?? '', /its thread ended \(exit code 3\) before it finished/);
  assert.match(failed.late_thrower ?? '', /late boom/);
  assert.match(failed.rejecter ?? '', /nobody caught this/);
  assert.match(failed.fn_returner ?? '', /detect\(\) returned a value that cannot be passed on/);
  assert.ok(report.gaps.some((g) => g.gap_type === 'root_clutter'), 'the built-in detectors still report');
});

test('SIGTERM and SIGINT end a scan within 2 s while a plugin spins without yielding', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const repo = withPluginFile(`${SPIN}export default { id: 'probe', title: 'Probe', detect: spin };\n`);
    const { code, ms } = await interruptOnceStarted(['gaps', 'scan'], repo.dir, join(repo.dir, 'started.txt'), signal);
    assert.ok(ms < 2000, `${signal}: exited ${ms} ms after the signal`);
    assert.is(code, 130, signal);
  }
});

test("a plugin in its thread sees the scan's context: notes, logs, status, git, reads, its cache, and a staged scan's index content", async () => {
  const source = `export default {
  id: 'probe', title: 'Probe', partial: true,
  messages: { m: { title: '{what}', params: ['what'] } },
  inspect: { select: (path) => path === 'src/a.txt', read: () => 'all', inspect: (file) => file.text() },
  async detect(ctx) {
    ctx.note('from the thread');
    ctx.logger.warn('a warning from the thread');
    const seen = await ctx.inspected();
    const head = await ctx.git.run(['rev-parse', '--abbrev-ref', 'HEAD']);
    const status = await ctx.status();
    const cached = ctx.cache.read('k');
    await ctx.cache.write('k', { n: (cached?.n ?? 0) + 1 });
    const text = await ctx.readText('README.md');
    return [{ inputs: ['src/a.txt'], params: { what: JSON.stringify({ seen, head: head.stdout.trim(), status: status.ok, cached: cached ?? null, text, excluded: ctx.excluded('skip/x'), scope: ctx.scope }) } }];
  },
};
`;
  const repo = withPluginFile(source, 'exclude: ["skip/**"]\n', { 'src/a.txt': 'committed\n' });
  const first = await scan(repo, ['--write']);
  assert.match(first.stderr, /a warning from the thread/);
  assert.ok((first.report as { metadata?: { notes?: string[] } }).metadata?.notes?.includes('probe: from the thread'));
  const what = (run: typeof first) => JSON.parse(probeGap(run.report)!.description.split('\n')[0]!.replace(/^[^{]*/, '')) as Record<string, unknown>;
  assert.equal(what(first), { seen: [{ path: 'src/a.txt', verdict: 'committed\n' }], head: 'main', status: true, cached: null, text: '# r\n', excluded: true, scope: 'full' });
  const second = await scan(repo, ['--write']);
  assert.equal(what(second).cached, { n: 1 }, 'the cache written by the first scan is read by the second');
  // --staged: the inspector judges the index's content, never the working tree's.
  repo.write({ 'src/a.txt': 'staged\n' });
  repo.git('add', 'src/a.txt');
  repo.write({ 'src/a.txt': 'unstaged\n' });
  const staged = await scan(repo, ['--staged', '--checks']);
  assert.equal((what(staged) as { seen: unknown }).seen, [{ path: 'src/a.txt', verdict: 'staged\n' }]);
  assert.is(what(staged).scope, 'staged');
});

test("a configured detector's defaultChecks runs in its thread, asks the scan what HEAD has, and its check runs", async () => {
  const source = `export default {
  id: 'probe', title: 'Probe', accepts_checks: true,
  async defaultChecks(ctx) {
    const has = await ctx.inHead(['scripts/check.sh', 'scripts/missing.sh']);
    return [...has].map((path) => ({ id: 'from_head', run: ['sh', path] }));
  },
  async detect(ctx) {
    for (const check of ctx.checks) await ctx.runCheck({ id: check.id, argv: check.run });
    return [];
  },
};
`;
  const repo = withPluginFile(source, '', { 'scripts/check.sh': 'exit 0\n' });
  const { report } = await scan(repo);
  const ran = (report as { metadata?: { commands_run?: Array<{ command: string }> } }).metadata?.commands_run ?? [];
  assert.ok(ran.some((run) => run.command === 'sh scripts/check.sh'), JSON.stringify(ran));
});

const REMEDIATING = (command: string) => `import { writeFileSync } from 'node:fs';
const marker = new URL('./started.txt', import.meta.url);
export default {
  id: 'probe', title: 'Probe',
  options: { kind: 'schema', type: 'object', async: false, expects: 'Object', '~standard': undefined, '~run': (dataset) => ({ typed: true, value: { ...dataset.value, seen: 'by the schema' } }) },
  messages: { m: { title: 'Probe {what}', params: ['what'] } },
  remediation: [{ action_type: 'custom', title: 'Fix {title}', description: 'd', risk_score: 0.5,
    command: ${command},
    rollback: (gap, facts) => 'undo ' + gap.evidence.file_paths.filter((path) => facts.tracked(path)).join(' ') }],
  detect: (ctx) => [{ inputs: ['README.md'], params: { what: ctx.options.seen }, evidence: { file_paths: ['README.md', 'NOTES.md'] } }],
};
`;

test("a configured detector's option schema and remediation functions run in its thread; plan propose gets their words", async () => {
  const repo = withPluginFile(REMEDIATING("(gap, facts) => 'fix ' + gap.evidence.file_paths.map((path) => path + '=' + facts.tracked(path)).join(' ')"));
  const scanned = await scan(repo, ['--write']);
  assert.is(probeGap(scanned.report)!.title, 'Probe by the schema', 'the options came through the schema, run in the thread');
  assert.is((await runBin(['anchor', 'init', '--write'], { cwd: repo.dir })).code, 0);
  const result = await runBin(['plan', 'propose'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  const action = (JSON.parse(result.stdout) as { actions: Array<{ title: string; command?: string; rollback_strategy?: string }> }).actions.find((a) => a.title === 'Fix Probe by the schema')!;
  assert.is(action.command, 'fix NOTES.md=false README.md=true');
  assert.is(action.rollback_strategy, 'undo README.md');
});

test('SIGTERM ends plan propose within 2 s while a remediation function spins', async () => {
  const repo = withPluginFile(REMEDIATING("() => { writeFileSync(marker, ''); for (;;) {} }"));
  await scan(repo, ['--write']);
  assert.is((await runBin(['anchor', 'init', '--write'], { cwd: repo.dir })).code, 0);
  const { ms } = await interruptOnceStarted(['plan', 'propose'], repo.dir, join(repo.dir, 'started.txt'));
  assert.ok(ms < 2000, `exited ${ms} ms after SIGTERM`);
});

test("a repository's config loads plugin files only from inside the repository; a config passed with --config may name any", async () => {
  const outside = join(tempDir(), 'elsewhere.mjs');
  writeFileSync(outside, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(outside + '.ran')}, '');\nexport default { id: 'elsewhere', title: 'E', detect: () => [] };\n`);
  for (const specifier of [outside, './linked.mjs']) {
    const repo = makeRepo({ files: { 'README.md': '# r\n', 'autopack.config.yaml': `plugins: [${JSON.stringify(specifier)}]\n` } });
    symlinkSync(outside, join(repo.dir, 'linked.mjs'));
    const result = await runBin(['gaps', 'scan'], { cwd: repo.dir });
    assert.is(result.code, 2, specifier);
    assert.match(result.stderr, /lies outside the repository/);
    assert.not.ok(existsSync(`${outside}.ran`), `${specifier}: the outside file never ran`);
  }
  const repo = makeRepo({ files: { 'README.md': '# r\n' } });
  const operatorConfig = join(tempDir(), 'operator.yaml');
  writeFileSync(operatorConfig, `plugins: [${JSON.stringify(outside)}]\n`);
  const chosen = await runBin(['gaps', 'scan', '--config', operatorConfig], { cwd: repo.dir });
  assert.is(chosen.code, 0, chosen.stderr);
  assert.ok(existsSync(`${outside}.ran`));
});

test('a plugin whose top level never finishes loading is an error naming it; a signal ends the command meanwhile', async () => {
  const { loadRegistry } = await import('../lib/registry/load.ts');
  const { AutopackError } = await import('../lib/util/errors.ts');
  const repo = withPluginFile(`import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./started.txt', import.meta.url), '');\nfor (;;) {}\nexport default { id: 'probe', title: 'Probe', detect: () => [] };\n`);
  const started = Date.now();
  const error = await loadRegistry({ plugins: [{ specifier: './plugin.mjs', baseDir: repo.dir, workspaceRoot: repo.dir }], importTimeoutMs: 500 }).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof AutopackError, String(error));
  assert.match((error as Error).message, /\.\/plugin\.mjs: plugin did not finish loading within 0\.5s/);
  assert.ok(Date.now() - started < 10_000);
  rmSync(join(repo.dir, 'started.txt'));
  const { ms } = await interruptOnceStarted(['gaps', 'scan'], repo.dir, join(repo.dir, 'started.txt'));
  assert.ok(ms < 2000, `exited ${ms} ms after SIGTERM`);
});

test.run();
