// The model catalog from config (adapted: the shipped config defines the three
// tiers, the seed is per-1k, the source is recorded, failures warn and fall back).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ModelCatalogEntry } from '../lib/contracts/models.ts';
import { validateArtifact } from '../lib/contracts/artifacts.ts';
import { openWorkspace } from '../lib/config/workspace.ts';
import { loadModelCatalog, SEED_CATALOG } from '../lib/models/catalog.ts';
import { refreshRoutingSnapshot } from '../lib/models/refresh.ts';
import { createRoutingSnapshot, escalateTier, selectBestModelForTier } from '../lib/models/routing.ts';
import { fixedClock } from '../lib/util/clock.ts';
import { runBin } from './helpers/cli.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

function workspaceWith(models?: string, pricing?: string) {
  const dir = tempDir();
  mkdirSync(join(dir, 'config'));
  if (models !== undefined) writeFileSync(join(dir, 'config/models.yaml'), models);
  if (pricing !== undefined) writeFileSync(join(dir, 'config/pricing.yaml'), pricing);
  return dir;
}
const MODELS = 'model_aliases:\n  haiku: h-1\n  sonnet: claude-sonnet-4-5\n  opus: o-1\n  extra: ignored-model\ncomplexity_models: {ignored: true}\n';
const PRICING = 'anthropic:\n  claude-sonnet-4-5: {input_per_1k: 0.003, output_per_1k: 0.015}\n  o-1: {input_per_1k: 0.015, output_per_1k: 0.075}\nopenai:\n  h-1: {input_per_1k: 0.0005}\nbudgets: {monthly: 100}\n';

test('the shipped config defines haiku, sonnet and opus: routing uses it, not the seed', async () => {
  const catalog = await loadModelCatalog(tempDir());
  assert.is(catalog.source, 'config');
  assert.is(catalog.warning, undefined);
  assert.equal(catalog.entries.map((e) => [e.tier, e.model_id, e.provider]), [['haiku', 'claude-haiku-4-5', 'anthropic'], ['sonnet', 'claude-sonnet-4-5', 'anthropic'], ['opus', 'claude-opus-4-5', 'anthropic']]);
  assert.ok(catalog.entries.every((e) => e.input_per_1k < 0.1 && e.output_per_1k < 0.1), 'per-1k prices');
});

test('a workspace config wins; aliases and prices map, other sections are ignored', async () => {
  const catalog = await loadModelCatalog(workspaceWith(MODELS, PRICING));
  assert.is(catalog.source, 'config');
  assert.equal(catalog.entries.map((e) => [e.tier, e.model_id, e.provider, e.input_per_1k, e.output_per_1k]), [
    ['haiku', 'h-1', 'openai', 0.0005, 0],
    ['sonnet', 'claude-sonnet-4-5', 'anthropic', 0.003, 0.015],
    ['opus', 'o-1', 'anthropic', 0.015, 0.075],
  ]);
});

test('any failure warns with the reason and falls back to the seed (per-1k)', async () => {
  const cases: Array<[string, RegExp]> = [
    [workspaceWith(MODELS.replace('  haiku: h-1\n', ''), PRICING), /no alias found for tier 'haiku'/],
    [workspaceWith('model_aliases: [broken\n', PRICING), /models\.yaml: invalid YAML \(line \d+/],
    [workspaceWith('complexity_models: {}\n', PRICING), /Missing required field 'model_aliases'/],
    [workspaceWith(MODELS, 'anthropic:\n  claude-sonnet-4-5: {input_per_1k: -1}\n'), /input_per_1k: Value below minimum 0/],
    [workspaceWith(MODELS, 'anthropic: {}\n'), /no price for h-1 \(tier haiku\)/],
  ];
  for (const [dir, reason] of cases) {
    const catalog = await loadModelCatalog(dir);
    assert.is(catalog.source, 'seed');
    assert.match(catalog.warning ?? '', reason);
    assert.match(catalog.warning ?? '', /using the seed catalog/);
    assert.is(catalog.entries.length, 5);
  }
  assert.equal(SEED_CATALOG.map((e) => [e.model_id, e.input_per_1k, e.output_per_1k]).slice(0, 1), [['claude-3-5-haiku-20241022', 0.001, 0.005]]);
});

const entry = (model_id: string, patch: Partial<ModelCatalogEntry> = {}): ModelCatalogEntry => ({
  model_id, tier: 'haiku', provider: 'anthropic', input_per_1k: 1, output_per_1k: 2, max_tokens: 8192, max_context_chars: 200_000, safety_compatible: true, ...patch,
});

test('selection: cheapest, then larger context, then larger max_tokens, then id by code point; strict filters', () => {
  assert.is(selectBestModelForTier([entry('pricey-haiku', { input_per_1k: 5 }), entry('cheap-haiku', { input_per_1k: 1, output_per_1k: 2 })], 'haiku')!.model_id, 'cheap-haiku');
  assert.is(selectBestModelForTier([entry('low-context-haiku', { max_context_chars: 100 }), entry('high-context-haiku')], 'haiku')!.model_id, 'high-context-haiku');
  assert.is(selectBestModelForTier([entry('small-haiku', { max_tokens: 1 }), entry('big-haiku')], 'haiku')!.model_id, 'big-haiku');
  assert.is(selectBestModelForTier([entry('b-haiku'), entry('a-haiku'), entry('B-haiku')], 'haiku')!.model_id, 'B-haiku', 'code-point order: uppercase first');
  const mixed = [entry('unsafe-haiku', { input_per_1k: 0, safety_compatible: false }), entry('safe-haiku')];
  assert.is(selectBestModelForTier(mixed, 'haiku')!.model_id, 'unsafe-haiku');
  assert.is(selectBestModelForTier(mixed, 'haiku', 'strict')!.model_id, 'safe-haiku');
  assert.is(selectBestModelForTier([entry('unsafe-haiku', { safety_compatible: false })], 'haiku', 'strict'), undefined);
  assert.is(selectBestModelForTier(mixed, 'giant'), undefined);
  // The seed picks as the reference does (same key), now documented rather than surprising.
  assert.is(selectBestModelForTier(SEED_CATALOG, 'opus')!.model_id, 'claude-opus-4-20250514');
  assert.equal([escalateTier('haiku'), escalateTier('sonnet'), escalateTier('opus')], ['sonnet', 'opus', undefined]);
});

test('snapshots: one entry per tier, the source recorded, strict all safe, identical twice', async () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const catalog = await loadModelCatalog(tempDir());
  const snapshot = createRoutingSnapshot(catalog, 'r1', 'normal', now);
  assert.ok(validateArtifact('model_routing_snapshot', snapshot).ok);
  assert.equal([snapshot.snapshot_id, snapshot.source, snapshot.entries.map((e) => e.tier), snapshot.expires_at], ['catalog-config-r1', 'config', ['haiku', 'sonnet', 'opus'], '2026-03-02T00:00:00.000Z']);
  assert.equal(createRoutingSnapshot(catalog, 'r1', 'normal', now), snapshot);
  const unsafe = { ...catalog, entries: catalog.entries.map((e) => ({ ...e, safety_compatible: e.tier !== 'opus' })) };
  const strict = createRoutingSnapshot(unsafe, 'r1', 'strict', now);
  assert.equal([strict.source, strict.entries.every((e) => e.safety_compatible)], ['seed', true]);
  const seeded = createRoutingSnapshot(await loadModelCatalog(workspaceWith('bad: [')), 'r2', 'normal', now);
  assert.is(seeded.snapshot_id, 'catalog-seed-r2');
});

test('refresh: written only with --write, reused while fresh, rebuilt with --force or when expired', async () => {
  const repo = makeRepo({ files: { 'a.txt': 'a' } });
  const at = (iso: string) => openWorkspace({ workspace: repo.dir, cwd: repo.dir, env: testEnv(), runId: 'r1', clock: fixedClock(new Date(iso)) });
  const dry = await refreshRoutingSnapshot(await at('2026-03-01T00:00:00Z'), { profile: 'normal' });
  assert.equal([dry.reused, dry.written], [false, undefined]);
  assert.not.ok(existsSync(join(repo.dir, '.autonomous_runs')));
  const first = await refreshRoutingSnapshot(await at('2026-03-01T00:00:00Z'), { profile: 'normal', write: true });
  assert.ok(first.written && existsSync(first.written));
  const reused = await refreshRoutingSnapshot(await at('2026-03-01T12:00:00Z'), { profile: 'normal' });
  assert.equal([reused.reused, reused.snapshot.created_at], [true, '2026-03-01T00:00:00.000Z']);
  assert.is((await refreshRoutingSnapshot(await at('2026-03-01T12:00:00Z'), { profile: 'normal', force: true })).reused, false);
  assert.is((await refreshRoutingSnapshot(await at('2026-03-03T00:00:00Z'), { profile: 'normal' })).reused, false, 'expired');
  assert.is((await refreshRoutingSnapshot(await at('2026-03-01T12:00:00Z'), { profile: 'strict' })).reused, false, 'another profile');
  assert.is(JSON.parse(readFileSync(first.written!, 'utf8')).snapshot_id, 'catalog-config-r1');
  assert.is(repo.git('status', '--porcelain'), '');
});

test('CLI: models list, select and refresh; a broken workspace config warns on stderr', async () => {
  const dir = workspaceWith(MODELS, PRICING);
  const list = await runBin(['models', 'list', '--format', 'json'], { cwd: dir });
  assert.is(list.code, 0);
  assert.equal([JSON.parse(list.stdout).source, JSON.parse(list.stdout).files], ['config', { models: 'config/models.yaml', pricing: 'config/pricing.yaml' }]);
  assert.equal([(await runBin(['models', 'select', '--tier', 'sonnet'], { cwd: dir })).stdout], ['claude-sonnet-4-5\n']);
  const unknown = await runBin(['models', 'select', '--tier', 'giant'], { cwd: dir });
  assert.equal([unknown.code, /Unknown tier 'giant' \(the catalog has haiku, sonnet, opus\)/.test(unknown.stderr)], [2, true]);
  const broken = workspaceWith('model_aliases:\n  sonnet: s\n', PRICING);
  const fallback = await runBin(['models', 'list'], { cwd: broken });
  assert.is(fallback.code, 0);
  assert.match(fallback.stderr, /no alias found for tier 'haiku'.*using the seed catalog/);
  assert.match(fallback.stdout, /claude-3-5-haiku-20241022/);
  const shipped = await runBin(['models', 'list', '--format', 'json'], { cwd: tempDir() });
  assert.equal(JSON.parse(shipped.stdout).files, { models: "autopack's config/models.yaml", pricing: "autopack's config/pricing.yaml" });
  const repo = makeRepo({ files: { 'a.txt': 'a' } });
  const refresh = await runBin(['models', 'refresh', '--write', '--run-id', 'r9'], { cwd: repo.dir, env: testEnv({ SOURCE_DATE_EPOCH: '1767225600' }) });
  assert.is(refresh.code, 0);
  assert.equal([JSON.parse(refresh.stdout).snapshot_id, JSON.parse(refresh.stdout).created_at], ['catalog-config-r9', '2026-01-01T00:00:00.000Z']);
  assert.match(refresh.stderr, /Wrote routing snapshot: \.autonomous_runs\/.*\/runs\/r9\/model_routing_snapshot\.json/);
  const again = await runBin(['models', 'refresh', '--run-id', 'r9'], { cwd: repo.dir, env: testEnv({ SOURCE_DATE_EPOCH: '1767225600' }) });
  assert.match(again.stderr, /Reusing fresh snapshot catalog-config-r9/);
});

test.run();
