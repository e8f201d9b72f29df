import type { Registry } from '../registry/load.ts';
import type { DetectorDescription, DetectorLookup } from './types.ts';

/**
 * A lookup over a registry: imports a detector only when a reporter asks for it. A detector
 * that fails to load is reported as unknown, so one broken plugin does not stop the output.
 */
export function registryLookup(registry: Registry): DetectorLookup {
  return async (id) => {
    const entry = registry.detectors.get(id);
    if (!entry) return undefined;
    try {
      return { detector: await entry.load(), builtin: entry.builtin } satisfies DetectorDescription;
    } catch {
      return undefined;
    }
  };
}

/** The lookup a reporter falls back to when no command gave one: the built-in detectors only. */
export async function builtinLookup(): Promise<DetectorLookup> {
  const { loadRegistry } = await import('../registry/load.ts');
  return registryLookup(await loadRegistry());
}
