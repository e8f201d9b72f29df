// A configured plugin's top level runs when it is imported, and the registry imports it on the
// command's own thread (it needs the definitions: messages, option schemas, remediations). A
// top level that never finishes would hold that thread, its timers and its signal handlers, so
// each plugin is imported in a thread first: one that does not finish loading in time is an
// error naming it, and a signal ends the command meanwhile. Errors of the import itself are
// left to the real import, whose message is the one users see.
import type { PluginRequest } from '../registry/load.ts';
import { AutopackError } from '../util/errors.ts';
import { silentLogger } from '../util/logger.ts';
import { PluginThread, TIMED_OUT } from './host.ts';

/** How long a configured plugin may take to load. */
export const PLUGIN_IMPORT_TIMEOUT_MS = 30_000;

export async function checkPluginImports(plugins: readonly PluginRequest[], timeoutMs: number = PLUGIN_IMPORT_TIMEOUT_MS): Promise<void> {
  if (plugins.length === 0) return;
  const thread = new PluginThread(() => ({ kind: 'import', plugins: [...plugins] }), { logger: silentLogger, quiet: true, serve: () => Promise.reject(new Error('no context while loading')) }, timeoutMs);
  try {
    for (const [index, plugin] of plugins.entries()) {
      let outcome: unknown;
      try {
        outcome = await thread.run(String(index));
      } catch {
        return;
      }
      if (outcome === TIMED_OUT) {
        throw new AutopackError(`${plugin.specifier}: plugin did not finish loading within ${Math.round(timeoutMs / 100) / 10}s (its top level runs when it is imported; keep it to definitions)`);
      }
    }
  } finally {
    thread.close();
  }
}
