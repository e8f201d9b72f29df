// The command and rollback of each proposed remediation. A built-in detector's are called here;
// a configured plugin's run in its thread, one batch per detector, with the facts they may ask
// for (whether the gap's paths are tracked) looked up beforehand.
import type { Gap } from '../contracts/gap-report.ts';
import type { DetectorFunctionCall } from '../plugin-thread/protocol.ts';
import type { Registry } from '../registry/load.ts';
import type { PlanFacts, RemediationSpec } from '../registry/types.ts';
import { detectorIdOf } from './remediation.ts';

export interface RemediationTexts {
  command?: string;
  rollback?: string;
}

const textsOf = (command: string | undefined, rollback: string | undefined): RemediationTexts => ({ ...(command ? { command } : {}), ...(rollback ? { rollback } : {}) });

export async function remediationTexts(items: ReadonlyArray<{ gap: Gap; specs: readonly RemediationSpec[] }>, registry: Registry, facts: PlanFacts): Promise<RemediationTexts[][]> {
  const out: RemediationTexts[][] = items.map(() => []);
  const batches = new Map<string, { calls: DetectorFunctionCall[]; slots: Array<[number, number]> }>();
  for (const [itemIndex, { gap, specs }] of items.entries()) {
    const entry = registry.detectors.get(detectorIdOf(gap, registry) ?? '');
    for (const [specIndex, spec] of specs.entries()) {
      if (!spec.command && !spec.rollback) {
        out[itemIndex]![specIndex] = {};
        continue;
      }
      if (!entry?.plugin) {
        out[itemIndex]![specIndex] = textsOf(spec.command?.(gap, facts), spec.rollback?.(gap, facts));
        continue;
      }
      const declared = (await entry.load()).remediation;
      const batch = batches.get(entry.id) ?? { calls: [], slots: [] };
      batches.set(entry.id, batch);
      const tracked = (gap.evidence?.file_paths ?? []).map((path): [string, boolean | undefined] => [path, facts.tracked(path)]);
      batch.calls.push({ fn: 'remediation', index: declared.indexOf(spec), gap, tracked });
      batch.slots.push([itemIndex, specIndex]);
    }
  }
  await Promise.all(
    [...batches].map(async ([id, batch]) => {
      const { callDetectorFunctions } = await import('../plugin-thread/detector-functions.ts');
      const results = await callDetectorFunctions(registry.detectors.get(id)!.plugin!, id, batch.calls);
      batch.slots.forEach(([itemIndex, specIndex], index) => {
        const result = results[index] as RemediationTexts | undefined;
        out[itemIndex]![specIndex] = textsOf(typeof result?.command === 'string' ? result.command : undefined, typeof result?.rollback === 'string' ? result.rollback : undefined);
      });
    }),
  );
  return out;
}
