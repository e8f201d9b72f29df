// A configured action handler in its thread: its context's checks, rescans and run-dir writes
// are calls answered by the autopilot session, which applies its own rules to each (the
// command allowlist, the handler's declared effects, --write).
import { pluginActionFrom } from '../registry/load.ts';
import { importPluginModule } from '../registry/import-module.ts';
import type { ActionContext } from '../registry/types.ts';
import type { ActionThreadData } from './protocol.ts';
import { call, clockOf, threadLogger } from './thread-rpc.ts';

/** Runs the thread's handler on its action. */
export function actionRunner(data: ActionThreadData): (phase: string) => Promise<unknown> {
  const context: ActionContext = {
    root: data.root,
    runDir: data.runDir,
    clock: clockOf(data.fixedNow),
    logger: threadLogger,
    env: data.env,
    gaps: data.gaps,
    checks: (detectorId) => call('checks', detectorId),
    runCheck: (check) => call('runCheck', check),
    rescan: (gaps) => call('rescan', gaps),
    writeRunFile: (relativePath, content) => call('writeRunFile', relativePath, content),
  };
  return async () => {
    const { module } = await importPluginModule(data.plugin.specifier, data.plugin.baseDir, data.plugin.workspaceRoot, data.plugin.confineTo);
    return pluginActionFrom(module, data.plugin.specifier, data.actionId).run(context, data.action);
  };
}
