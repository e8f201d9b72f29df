// The generated registry index is what the registry loads built-ins from: it must list exactly
// the files of detectors/, actions/ and lib/report/, with their current declarations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BUILTIN_ACTIONS, BUILTIN_DETECTORS } from '../lib/registry/builtin-index.ts';
import { checkShape } from '../lib/registry/load.ts';
import { REPO_ROOT } from './helpers/cli.ts';
import { renderDetectorReadme, renderRegistryIndex } from './helpers/registry-index.ts';

test('lib/registry/builtin-index.ts is up to date (npm run registry regenerates it)', async () => {
  const committed = readFileSync(join(REPO_ROOT, 'lib/registry/builtin-index.ts'), 'utf8');
  assert.fixture(committed, await renderRegistryIndex(REPO_ROOT));
});

test('docs/detectors/README.md lists every built-in detector (npm run registry regenerates the table)', async () => {
  assert.fixture(readFileSync(join(REPO_ROOT, 'docs/detectors/README.md'), 'utf8'), await renderDetectorReadme(REPO_ROOT));
});

test('every built-in detector and action handler passes the plugin shape check (the registry skips it for them at run time)', async () => {
  for (const entry of [...BUILTIN_DETECTORS, ...BUILTIN_ACTIONS]) {
    const module = (await entry.load()) as { default: unknown };
    assert.not.throws(() => checkShape(module.default, entry.source), entry.source);
  }
  // and the check is real: a built-in with a broken shape would fail it
  const broken = { ...((await BUILTIN_DETECTORS[0]!.load()) as { default: object }).default, title: 42 };
  assert.throws(() => checkShape(broken, 'broken'), /title/);
});

test.run();
