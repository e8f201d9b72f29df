// The production config guard: the Python tool's cases and each improvement.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkContentForDebug, isProductionConfig } from '../lib/enforcement/production-config.ts';
import { REPO_ROOT, runBin } from './helpers/cli.ts';
import { makeRepo } from './helpers/git-fixture.ts';

const count = (content: string) => checkContentForDebug(content, 'f').length;

test('DEBUG enabled is found (reference cases)', () => {
  for (const content of ['DEBUG=1', 'DEBUG=true', "DEBUG='1'", 'DEBUG="1"', 'settings:\n  debug: true\n  log_level: INFO', 'DEBUG=True', 'DEBUG=yes', 'DEBUG=on', 'debug: 1', "debug: 'true'", 'DEBUG: true', '{"debug": true}', '{"DEBUG": true}']) {
    assert.ok(count(content) >= 1, JSON.stringify(content));
  }
  assert.match(checkContentForDebug('DEBUG=1', 'f')[0]!.pattern, /DEBUG/);
});

test('DEBUG off, commented or another setting is fine (reference cases)', () => {
  for (const content of ['DEBUG=0', 'DEBUG=false', '# DEBUG=1', 'DEBUG="0"', "DEBUG='false'", 'DEBUG=no', 'DEBUG=off', 'debug: false', 'debug: 0', 'APP_DEBUG=1', 'DEBUG_SQL=1', 'LOG_LEVEL=DEBUG', '  # debug: true', 'DEBUG=2']) {
    assert.is(count(content), 0, JSON.stringify(content));
  }
});

test('improvements: trailing comments, export, YAML yes/on, quoted JSON values, Kubernetes env entries', () => {
  assert.equal(checkContentForDebug('DEBUG=1 # for now', 'a.env').map((v) => [v.line, v.pattern, v.content]), [[1, 'DEBUG=1', 'DEBUG=1 # for now']]);
  assert.equal(checkContentForDebug('export DEBUG=true', 'a.env').map((v) => v.pattern), ['DEBUG=true']);
  assert.equal(checkContentForDebug('debug: yes\nother: 1\nDEBUG: on', 'a.yaml').map((v) => [v.line, v.pattern]), [[1, 'YAML debug: yes'], [3, 'YAML debug: on']]);
  assert.equal(checkContentForDebug('{"DEBUG": "true"}', 'a.json').map((v) => v.pattern), ['JSON "debug": "true"']);
  assert.equal(checkContentForDebug('env:\n  - name: DEBUG\n    value: "true"\n  - name: LOG\n    value: "1"', 'k8s.yaml').map((v) => [v.line, v.pattern]), [[3, 'env entry DEBUG=true']]);
  assert.is(count('env:\n  - name: DEBUG\n    value: "false"'), 0);
  assert.is(count('PASSWORD="a # not a comment" \nDEBUG=0'), 0);
  const long = checkContentForDebug(`DEBUG=1${' '.repeat(5)}# ${'x'.repeat(200)}`, 'f')[0]!;
  assert.ok(long.content.length <= 100);
});

test('production configs are recognised by repo-relative segments, not by any "prod" in the path', () => {
  const yes = ['.env.production', 'config/.env.production', '.env.prod', '.env.production.local', 'config/production.yaml', 'deploy/production.yml', 'production.json', 'config/prod.yml', 'app.production.yaml', 'settings.prod.json', 'deploy/production/values.yaml', 'k8s/prod/configmap.yml', 'PRODUCTION.YAML'];
  const no = ['.env.development', 'config/development.yaml', '.env.local', 'products.json', 'reproduce.yaml', 'x/prod_data.yml', 'config/prod.toml', 'Dockerfile.prod', 'production.md', 'node_modules/pkg/production.yaml', 'archive/old/.env.production', '.autonomous_runs/x/production.yaml', 'vendor/production.json'];
  for (const path of yes) assert.ok(isProductionConfig(path), path);
  for (const path of no) assert.not.ok(isProductionConfig(path), path);
});

test('autopack check production-config: exit 0 clean, 1 with file:line, pattern, content and remediation, 2 for usage', async () => {
  const clean = makeRepo({ files: { '.env.production': 'LOG_LEVEL=INFO\nAPI_KEY=secret\n', 'config/development.yaml': 'debug: true\n' } });
  const ok = await runBin(['check', 'production-config', '--repo-root', clean.dir]);
  assert.equal([ok.code, ok.stdout], [0, '']);
  assert.match(ok.stderr, /No DEBUG enablement found in production configs \(1 checked\)/);

  const dirty = makeRepo({ files: { '.env.production': 'DEBUG=1\nLOG_LEVEL=INFO\n', 'deploy/production/values.yaml': 'app:\n  debug: yes # temporary\n', 'products.json': '{"debug": true}' } });
  const bad = await runBin(['check', 'production-config'], { cwd: dirty.dir });
  assert.is(bad.code, 1);
  assert.is(bad.stdout.split('\n\n')[0], [
    'FOUND 2 DEBUG VIOLATION(S):',
    '  .env.production:1',
    '    Pattern: DEBUG=1',
    '    Content: DEBUG=1',
    '  deploy/production/values.yaml:2',
    '    Pattern: YAML debug: yes',
    '    Content: debug: yes # temporary',
  ].join('\n'));
  assert.match(bad.stdout, /REMEDIATION REQUIRED: DEBUG must be off/);
  const json = JSON.parse((await runBin(['check', 'production-config', '--format', 'json'], { cwd: dirty.dir })).stdout);
  assert.equal([json.checked_files, json.violations.length], [['.env.production', 'deploy/production/values.yaml'], 2]);
  assert.is((await runBin(['check', 'production-config', '--repo-root', join(dirty.dir, 'nope')])).code, 2);
  assert.is((await runBin(['check', 'production-config', '--bogus'])).code, 2);
  assert.is((await runBin(['check'])).code, 2);
  writeFileSync(join(dirty.dir, '.env.production'), 'DEBUG=0\n');
  writeFileSync(join(dirty.dir, 'deploy/production/values.yaml'), 'app:\n  debug: false\n');
  assert.is((await runBin(['check', 'production-config'], { cwd: dirty.dir })).code, 0);
});

test('this repository ships no production config with DEBUG on, and CI checks it', async () => {
  const result = await runBin(['check', 'production-config', '--repo-root', REPO_ROOT]);
  assert.is(result.code, 0, result.stdout);
  const ci = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');
  assert.match(ci, /^set -euo pipefail$/m);
  assert.match(ci, /^node dist\/cli\/bin\/autopack\.js check production-config$/m);
  assert.match(readFileSync(join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8'), /run: node dist\/cli\/bin\/autopack\.js check production-config/);
});

test.run();
