import * as v from 'valibot';
import { checkContentForDebug, isProductionConfig, type DebugViolation } from '../lib/enforcement/production-config.ts';
import { restoreTracked } from '../lib/planning/suggested-commands.ts';
import { defineDetector } from '../lib/registry/types.ts';
import { sortedUnique } from '../lib/util/sort.ts';

export default defineDetector<Record<string, never>, DebugViolation[]>({
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
      params: ['count', 'violations'],
      description: 'Found {violations} lines enabling DEBUG in {count} production config files',
      signals: ['{violations} DEBUG enablements in production configs'],
      remediation: 'Set DEBUG off (DEBUG=0, debug: false) in the production configs, or move the setting to a development file',
    },
  },
  remediation: [
    {
      action_type: 'config_update',
      title: 'Turn DEBUG off: {title}',
      description: 'Set DEBUG off in the production configs (or move the setting to a development file)',
      risk_score: 0.5,
      risk_factors: ['Modifies production configuration'],
      cost: { tokens: 200, time_seconds: 10 },
      rollback: (gap, facts) => restoreTracked(gap.evidence?.file_paths ?? [], facts),
    },
  ],
  inspect: {
    select: (path) => isProductionConfig(path),
    read: () => 'all',
    inspect: (file) => {
      const violations = checkContentForDebug(new TextDecoder().decode(file.bytes), file.path);
      return violations.length > 0 ? violations : undefined;
    },
  },
  async detect(ctx) {
    const violations = (await ctx.inspected()).flatMap((item) => item.verdict);
    if (violations.length === 0) return [];
    const files = sortedUnique(violations.map((violation) => violation.file));
    return [
      {
        inputs: files,
        params: { count: files.length, violations: violations.length },
        evidence: { file_paths: files, locations: violations.map((v) => ({ path: v.file, line: v.line, message: `${v.pattern}: ${v.content}` })) },
        signals: violations.slice(0, 10).map((v) => `${v.file}:${v.line}: ${v.pattern}: ${v.content}`),
        estimated_actions: files.length,
      },
    ];
  },
});
