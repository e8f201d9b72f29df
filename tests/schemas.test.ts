// docs/schemas/*.schema.json are generated from the valibot contracts; this fails when they are stale.
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allJsonSchemaFiles } from '../lib/contracts/json-schema.ts';
import { REPO_ROOT, runInProcess } from './helpers/cli.ts';

const dir = `${REPO_ROOT}docs/schemas`;

test('committed JSON Schemas match the valibot contracts (run `npm run schemas`)', () => {
  const expected = allJsonSchemaFiles();
  const committed = readdirSync(dir).filter((name) => name.endsWith('.schema.json')).sort();
  assert.equal(committed, [...expected.keys()].sort(), 'the set of schema files');
  for (const [name, text] of expected) {
    assert.is(readFileSync(`${dir}/${name}`, 'utf8'), text, `${name} is stale: run npm run schemas`);
  }
});

test('schemas forbid unknown keys, as the contracts do', () => {
  const report = JSON.parse(readFileSync(`${dir}/gap_report_v1.schema.json`, 'utf8'));
  assert.is(report.additionalProperties, false);
  assert.ok(report.properties.gaps.items.properties.gap_type.enum.includes('doc_drift'));
  assert.ok(report.properties.generated_at.format === 'date-time');
});

test('`autopack schema NAME` prints the committed schema; unknown names exit 2', async () => {
  const result = await runInProcess(['schema', 'gap_report_v1']);
  assert.is(result.code, 0);
  assert.is(result.stdout, readFileSync(`${dir}/gap_report_v1.schema.json`, 'utf8'));
  const alias = await runInProcess(['schema', 'IntentionAnchorV2']);
  assert.is(alias.stdout, readFileSync(`${dir}/intention_anchor_v2.schema.json`, 'utf8'));
  const unknown = await runInProcess(['schema', 'nope']);
  assert.is(unknown.code, 2);
  assert.is(unknown.stdout, '');
  assert.match(unknown.stderr, /Unknown schema 'nope'.*gap_report_v1/);
});

test.run();
