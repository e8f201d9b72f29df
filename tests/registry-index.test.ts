// The generated registry index is what the registry loads built-ins from: it must list exactly
// the files of detectors/, actions/ and lib/report/, with their current declarations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './helpers/cli.ts';
import { renderDetectorReadme, renderRegistryIndex } from './helpers/registry-index.ts';

test('lib/registry/builtin-index.ts is up to date (npm run registry regenerates it)', async () => {
  const committed = readFileSync(join(REPO_ROOT, 'lib/registry/builtin-index.ts'), 'utf8');
  assert.fixture(committed, await renderRegistryIndex(REPO_ROOT));
});

test('docs/detectors/README.md lists every built-in detector (npm run registry regenerates the table)', async () => {
  assert.fixture(readFileSync(join(REPO_ROOT, 'docs/detectors/README.md'), 'utf8'), await renderDetectorReadme(REPO_ROOT));
});

test.run();
