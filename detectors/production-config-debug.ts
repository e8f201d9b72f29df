import * as v from 'valibot';
import { checkProductionConfigs } from '../lib/enforcement/production-config.ts';
import { defineDetector } from '../lib/registry/types.ts';
import { sortedUnique } from '../lib/util/sort.ts';

export default defineDetector({
  id: 'production_config_debug',
  gap_type: 'production_config_debug',
  title: 'Production config debug',
  description: 'DEBUG switched on in a production configuration (.env.production, production.yaml, config/prod.yml, deploy/production/…).',
  scope: 'files',
  default: { risk: 'high', blocks_autopilot: true },
  options: v.strictObject({}),
  messages: {
    debug: {
      title: 'DEBUG enabled in production configs: {count} files',
      description: 'Found {violations} lines enabling DEBUG in {count} production config files',
      signals: ['{violations} DEBUG enablements in production configs'],
      remediation: 'Set DEBUG off (DEBUG=0, debug: false) in the production configs, or move the setting to a development file',
    },
  },
  async detect(ctx) {
    const result = await checkProductionConfigs(await ctx.files(), async (path) => (await ctx.readFile(path))?.toString('utf8'));
    if (result.violations.length === 0) return [];
    const files = sortedUnique(result.violations.map((violation) => violation.file));
    return [
      {
        inputs: files,
        params: { count: files.length, violations: result.violations.length },
        evidence: { file_paths: files },
        signals: result.violations.slice(0, 10).map((v) => `${v.file}:${v.line}: ${v.pattern}: ${v.content}`),
        estimated_actions: files.length,
      },
    ];
  },
});
