// One plugin cannot take the scan down or corrupt its output: invalid findings, a throw and a
// detect() that never settles each become that detector's own `unknown` gap; what a plugin
// prints goes to stderr; SIGTERM ends the command promptly even while a plugin hangs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, runBin } from './helpers/cli.ts';
import { makeRepo, testEnv } from './helpers/git-fixture.ts';

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
  return { ...result, report: JSON.parse(result.stdout) as { gaps: Array<{ gap_type: string; detector: string; message_id: string; description: string; detection_signals: string[] }> } };
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

test('text output says why a detector failed', async () => {
  const repo = withPlugin("() => { throw new Error('cannot read the license list'); }");
  const result = await runBin(['gaps', 'scan', '--format', 'text', '--fail-on', 'never'], { cwd: repo.dir });
  assert.match(result.stdout, /Detector probe failed\n\s+Detector probe threw an error, so its part of the workspace was not checked: cannot read the license list/);
});

test('SIGTERM ends a scan within 2 s while a plugin hangs', async () => {
  const marker = 'started.txt';
  const repo = withPlugin(`async (ctx) => { (await import('node:fs')).writeFileSync(ctx.root + '/${marker}', ''); return new Promise(() => {}); }`);
  const child = spawn(process.execPath, [BIN, 'gaps', 'scan'], { cwd: repo.dir, env: testEnv() as NodeJS.ProcessEnv, stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(repo.dir, marker))) {
    if (Date.now() > deadline) throw new Error('the plugin never started');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const sent = Date.now();
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  assert.ok(Date.now() - sent < 2000, `exited ${Date.now() - sent} ms after SIGTERM`);
  assert.is(code, 130);
});

test.run();
