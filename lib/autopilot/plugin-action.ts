// A configured action handler runs in a thread of its own, like a configured detector: a
// handler that never yields cannot stop the session's timers and signal handlers. Its context
// calls are answered by the session's own context, which applies every rule (the command
// allowlist, the declared effects, --write) as it would for a handler on this thread.
import type { Gap } from '../contracts/gap-report.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import { pinnedTime, runOnce, type ThreadServer } from '../plugin-thread/host.ts';
import type { ThreadData } from '../plugin-thread/protocol.ts';
import type { PluginRequest } from '../registry/load.ts';
import type { ActionContext, ActionDefinition, ActionOutcome } from '../registry/types.ts';
import { EffectViolation } from '../util/errors.ts';

/** How long a configured handler may run; its checks have their own limits within it. */
export const PLUGIN_ACTION_TIMEOUT_MS = 600_000;

export async function runPluginAction(
  plugin: PluginRequest,
  handler: ActionDefinition,
  context: ActionContext,
  action: Action,
  gaps: readonly Gap[],
  timeoutMs: number = PLUGIN_ACTION_TIMEOUT_MS,
): Promise<ActionOutcome> {
  // The session's own refusal, kept as the object it is: a violation thrown back by the handler stays a violation.
  let violation: EffectViolation | undefined;
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof EffectViolation) violation = error;
      throw error;
    }
  };
  const data = (): ThreadData => ({
    kind: 'action',
    plugin,
    actionId: handler.id,
    root: context.root,
    runDir: context.runDir,
    env: { ...context.env },
    gaps: [...gaps],
    action,
    ...pinnedTime(context.clock),
  });
  const server: ThreadServer = {
    logger: context.logger,
    serve(method, args) {
      const [first, second] = args as [any, any];
      if (method === 'checks') return context.checks(String(first));
      if (method === 'runCheck') return guarded(() => context.runCheck(first));
      if (method === 'rescan') return context.rescan(first);
      if (method === 'writeRunFile') return guarded(() => context.writeRunFile(String(first), String(second)));
      return Promise.reject(new Error(`no such context call: ${method}`));
    },
  };
  try {
    return (await runOnce(data, server, timeoutMs, 'run', () => new Error(`handler ${handler.id} did not finish within ${Math.round(timeoutMs / 1000)}s`))) as ActionOutcome;
  } catch (error) {
    if (violation && (error as Error)?.name === 'EffectViolation') throw violation;
    throw error;
  }
}
