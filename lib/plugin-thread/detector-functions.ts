// A configured detector's functions that the command calls outside a scan — its option schema
// (valibot checks are code), its remediations' command and rollback — evaluated in a batch in
// the plugin's own thread, so that a plugin that never yields cannot hold the command.
import type { PluginRequest } from '../registry/load.ts';
import { AutopackError } from '../util/errors.ts';
import { silentLogger } from '../util/logger.ts';
import { runOnce } from './host.ts';
import type { DetectorFunctionCall, DetectorFunctionResult } from './protocol.ts';

/** How long one batch may take. */
export const DETECTOR_FUNCTIONS_TIMEOUT_MS = 30_000;

export async function callDetectorFunctions(plugin: PluginRequest, detectorId: string, calls: DetectorFunctionCall[], timeoutMs: number = DETECTOR_FUNCTIONS_TIMEOUT_MS): Promise<DetectorFunctionResult[]> {
  if (calls.length === 0) return [];
  const what = calls[0]!.fn === 'options' ? 'option schema' : 'remediation';
  try {
    const results = await runOnce(
      () => ({ kind: 'functions', plugin, detectorId, calls }),
      { logger: silentLogger, serve: () => Promise.reject(new Error('no context here')) },
      timeoutMs,
      'functions',
      () => new AutopackError(`detector ${detectorId} (${plugin.specifier}): its ${what} did not finish within ${timeoutMs / 1000}s`),
    );
    return results as DetectorFunctionResult[];
  } catch (error) {
    if (error instanceof AutopackError) throw error;
    throw new AutopackError(`detector ${detectorId} (${plugin.specifier}): ${(error as Error).message}`, { cause: error });
  }
}
