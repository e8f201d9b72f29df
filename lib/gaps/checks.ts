import type { CheckSpec } from '../contracts/config.ts';
import type { Gap } from '../contracts/gap-report.ts';
import type { AnyDetector } from '../registry/types.ts';
import { gapId } from './ids.ts';
import type { PluginRequest } from '../registry/load.ts';

/**
 * The mechanical checks a detector runs in a workspace: `checks.<id>` from the config, else the
 * defaults the detector finds there itself. Trusted argv — the config's or the detector's —
 * never a report's contents: the only commands an action handler may run beyond the read-only
 * allowlist.
 */
export async function resolveChecks(
  detector: AnyDetector,
  context: {
    root: string;
    env: Readonly<Record<string, string | undefined>>;
    configured: Readonly<Record<string, readonly CheckSpec[]>>;
    options: unknown;
    inHead: (paths: readonly string[]) => Promise<ReadonlySet<string>>;
    /** A configured plugin's module: its defaultChecks runs in a thread of its own. */
    plugin?: PluginRequest | undefined;
  },
): Promise<CheckSpec[]> {
  const configured = context.configured[detector.id];
  if (configured) return [...configured];
  if (!detector.defaultChecks) return [];
  if (context.plugin) return (await import('./plugin-checks.ts')).pluginDefaultChecks(detector.id, context.plugin, context);
  return (await detector.defaultChecks({ root: context.root, env: context.env, options: context.options, inHead: context.inHead })) ?? [];
}

/**
 * The check that produced a gap. A check's gap has the check id as its only id input, so the
 * gap id names the check: matched against trusted checks, never read from the report.
 */
export function checkBehindGap(gap: Gap, gapType: string, checks: readonly CheckSpec[]): CheckSpec | undefined {
  return checks.find((check) => gapId(gapType, [check.id]) === gap.gap_id);
}
