// A configured detector finds its default checks in its own thread, like everything else it runs.
import type { CheckSpec } from '../contracts/config.ts';
import { runOnce } from '../plugin-thread/host.ts';
import type { PluginRequest } from '../registry/load.ts';
import { AutopackError } from '../util/errors.ts';
import { silentLogger } from '../util/logger.ts';

/** How long a configured detector may take to find its default checks. */
const PLUGIN_CHECKS_TIMEOUT_MS = 30_000;

export async function pluginDefaultChecks(
  id: string,
  plugin: PluginRequest,
  context: { root: string; env: Readonly<Record<string, string | undefined>>; options: unknown; inHead: (paths: readonly string[]) => Promise<ReadonlySet<string>> },
): Promise<CheckSpec[]> {
  const found = await runOnce(
    () => ({ kind: 'checks', plugin, detectorId: id, root: context.root, env: { ...context.env }, options: context.options }),
    {
      logger: silentLogger,
      serve: async (method, args) => {
        if (method !== 'inHead') throw new Error(`no such context call: ${method}`);
        return context.inHead(args[0] as readonly string[]);
      },
    },
    PLUGIN_CHECKS_TIMEOUT_MS,
    'defaultChecks',
    () => new AutopackError(`detector ${id}: defaultChecks() did not finish within ${PLUGIN_CHECKS_TIMEOUT_MS / 1000}s`),
  );
  return (found as CheckSpec[] | undefined) ?? [];
}
