// docs/PLUGINS.md is executed: every code block is a file written into a project that has
// autopack installed, or commands run there, and what they print must be what the page shows.
// That includes the scaffolds, testDetector under node, and the action handler example being
// planned and executed by `autopilot run --enable --write`.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './helpers/cli.ts';
import { DOC_EXAMPLE_OPTIONS, fencedBlocks, runDocExamples } from './helpers/doc-examples.ts';

const PAGE = 'docs/PLUGINS.md';
const doc = readFileSync(`${REPO_ROOT}${PAGE}`, 'utf8');

test('every code block of docs/PLUGINS.md is run: a file= block or a console block', () => {
  const unrun = fencedBlocks(doc).filter((block) => block.lang !== 'console' && !block.file);
  assert.equal(unrun, []);
});

test('docs/PLUGINS.md: its examples run and print what it shows', () => {
  const run = runDocExamples(doc, {}, DOC_EXAMPLE_OPTIONS[PAGE]);
  assert.ok(run.commands >= 10 && run.files >= 15, `${run.commands} commands, ${run.files} files`);
  // The handler example is planned, auto-approved and executed by the handler itself.
  assert.match(run.actual, /^executed {2}action-[0-9a-f]{12} {2}verify_licenses {3}still_present node tools\/check-licenses\.mjs exited 1$/m);
  // On a mismatch: node --import tsx tests/helpers/update-doc-examples.ts docs/PLUGINS.md, then review the diff.
  assert.fixture(run.actual, doc);
});

test.run();
