import type { IntentionAnchorV2 } from '../contracts/anchor.ts';
import type { Workspace } from '../config/workspace.ts';
import { relativeInside } from '../fs/run-layout.ts';
import { compilePolicy, type GovernancePolicy } from '../governance/policy.ts';

/**
 * Everything one autopilot session decides with, built once and passed down: the workspace,
 * the anchor, the policy compiled from it and the config, the protected paths the scan adds to
 * its detectors' own, and where run-local writes land.
 */
export interface SessionContext {
  workspace: Workspace;
  anchor: IntentionAnchorV2;
  policy: GovernancePolicy;
  /** The config's and the anchor's protected paths, for the protected-path detector. */
  protectedPaths: readonly string[];
  /** The run directory relative to the workspace (undefined when it lies outside). */
  runDirRel: string | undefined;
  /** Whether artifacts (and run-local files) may be written. */
  write: boolean;
}

export function sessionContext(workspace: Workspace, anchor: IntentionAnchorV2, write: boolean): SessionContext {
  const configured = workspace.config.config.protected_paths ?? [];
  return {
    workspace,
    anchor,
    policy: compilePolicy(anchor, configured),
    protectedPaths: [...configured, ...(anchor.pivot_intentions.scope_boundaries?.protected_paths ?? [])],
    runDirRel: relativeInside(workspace.root, workspace.runDir),
    write,
  };
}
