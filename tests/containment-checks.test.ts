// Repository code in the open: a full scan names every command it ran, catches a check that
// changes the workspace (files, ignored files, git itself), and --no-checks runs none at all.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBin } from './helpers/cli.ts';
import { makeRepo } from './helpers/git-fixture.ts';

function withCheck(script: string, extra: Record<string, string> = {}) {
  return makeRepo({
    files: {
      'README.md': '# r\n',
      'src/app.py': 'print(1)\n',
      'check.mjs': script,
      'autopack.config.yaml': 'checks:\n  doc_drift:\n    - { id: docs, run: [node, check.mjs] }\n',
      ...extra,
    },
  });
}

test('every command the scan ran is named, in JSON and in text', async () => {
  const repo = withCheck("console.log('ok')\n");
  const json = JSON.parse((await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir })).stdout);
  assert.equal(json.metadata.commands_run, [{ detector: 'doc_drift', check: 'docs', command: 'node check.mjs', exit_code: 0 }]);
  const text = await runBin(['gaps', 'scan', '--format', 'text', '--fail-on', 'never'], { cwd: repo.dir });
  assert.match(text.stdout, /^ran {6}doc_drift: \$ node check\.mjs {2}\(exit 0\)$/m);
});

test('a check that changes the workspace is a critical, blocking gap naming it and the paths', async () => {
  const appends = withCheck("import { appendFileSync } from 'node:fs'; appendFileSync('src/app.py', 'x = 1\\n');\n");
  const result = await runBin(['gaps', 'scan'], { cwd: appends.dir });
  assert.is(result.code, 1);
  const gap = JSON.parse(result.stdout).gaps.find((g: { message_id: string }) => g.message_id === 'check_changed_workspace');
  assert.ok(gap, result.stdout);
  assert.equal([gap.risk_classification, gap.blocks_autopilot, gap.detector, gap.evidence.file_paths], ['critical', true, 'doc_drift', ['src/app.py']]);
  assert.match(gap.title, /Check docs changed the workspace/);
  const hook = withCheck("import { writeFileSync } from 'node:fs'; writeFileSync('.git/hooks/post-checkout', '#!/bin/sh\\n');\n");
  const hooked = JSON.parse((await runBin(['gaps', 'scan'], { cwd: hook.dir })).stdout);
  assert.ok(hooked.gaps.some((g: { message_id: string; evidence: { file_paths: string[] } }) => g.message_id === 'check_changed_workspace' && g.evidence.file_paths.includes('.git/hooks/post-checkout')));
  const ignored = withCheck("import { writeFileSync } from 'node:fs'; writeFileSync('cache.log', 'x');\n", { '.gitignore': 'cache.log\n' });
  const cached = JSON.parse((await runBin(['gaps', 'scan'], { cwd: ignored.dir })).stdout);
  assert.ok(cached.gaps.some((g: { message_id: string; evidence: { file_paths: string[] } }) => g.message_id === 'check_changed_workspace' && g.evidence.file_paths.includes('cache.log')), 'an ignored file counts');
});

test('--no-checks runs no repository code: no check, discovered or configured, and no config plugin', async () => {
  const repo = withCheck("import { writeFileSync } from 'node:fs'; writeFileSync('CHECK_RAN', '');\n", {
    'scripts/check_docs_drift.py': "open('DISCOVERED_RAN', 'w')\n",
    'plugin.mjs': "import { writeFileSync } from 'node:fs'; writeFileSync(new URL('./PLUGIN_RAN', import.meta.url), ''); export default { id: 'p', title: 'P', detect: () => [] };\n",
  });
  repo.write({ 'autopack.config.yaml': 'plugins: [./plugin.mjs]\nchecks:\n  doc_drift:\n    - { id: docs, run: [node, check.mjs] }\ndetectors:\n  p: { enabled: true }\n' });
  const result = await runBin(['gaps', 'scan', '--no-checks', '--fail-on', 'never'], { cwd: repo.dir });
  assert.is(result.code, 0, result.stderr);
  for (const marker of ['CHECK_RAN', 'DISCOVERED_RAN', 'PLUGIN_RAN']) assert.not.ok(existsSync(join(repo.dir, marker)), `${marker}: nothing ran`);
  const report = JSON.parse(result.stdout);
  assert.equal(report.metadata.commands_run, []);
  assert.ok(report.metadata.notes.some((note: string) => /config plugins not loaded/.test(note)));
  assert.ok(report.metadata.notes.some((note: string) => /doc_drift: no checks run \(--no-checks/.test(note)));
  // Without the flag the same scan runs them: the markers prove the test could fail.
  await runBin(['gaps', 'scan', '--fail-on', 'never'], { cwd: repo.dir });
  assert.ok(existsSync(join(repo.dir, 'CHECK_RAN')) && existsSync(join(repo.dir, 'PLUGIN_RAN')));
});

test.run();
