// The public programmatic API of autopack. The CLI is a thin wrapper over these.
export { scanGaps, scanOpenWorkspace, DEFAULT_PROTECTED_PATHS, type ScanGapsOptions, type ScanGapsResult } from './gaps/scan-gaps.ts';
export { openWorkspace, type Workspace, type WorkspaceOptions } from './config/workspace.ts';
export { loadConfig, CONFIG_FILE_NAMES, type LoadedConfig } from './config/load-config.ts';
export { loadRegistry, knownGapTypes, type Registry, type LoadedPlugin } from './registry/load.ts';
export {
  defineDetector,
  defineAction,
  type DetectorDefinition,
  type DetectorContext,
  type DetectorMessage,
  type Finding,
  type ActionDefinition,
  type ActionContext,
  type ActionOutcome,
} from './registry/types.ts';
export { proposePlan, actionId, proposalId, type ProposeOptions } from './planning/propose.ts';
export { planWorkspace, readGapReport, type PlanWorkspaceOptions, type PlanWorkspaceResult } from './planning/plan-workspace.ts';
export { loadAnchor, readAnchorFile, anchorCandidates } from './anchor/load-anchor.ts';
export { createAnchor, anchorId } from './anchor/create-anchor.ts';
export { pivotCompleteness, anchorWarnings, PIVOT_QUESTIONS } from './anchor/completeness.ts';
export { compilePolicy, type GovernancePolicy } from './governance/policy.ts';
export { decide, isProtectedPath, writesOf, type Decision, type GovernanceSubject } from './governance/decide.ts';
export { normalizeWorkspacePath, compilePathPattern, pathHazard } from './governance/paths.ts';
export { NEVER_AUTO_APPROVE_DEFAULTS } from './governance/defaults.ts';
export { runAutopilotSession, type AutopilotOptions, type AutopilotResult } from './autopilot/session.ts';
export { executeAction, type ExecutionContext } from './autopilot/execute-action.ts';
export { classifyCommand, classifyFileWrite, classifyFileRead } from './autopilot/command-policy.ts';
export { proofMetrics } from './proof/metrics.ts';
export { buildPhaseProof } from './proof/phase-proof.ts';
export { renderPhaseProof } from './proof/render.ts';
export { superviseRuns, validateSuperviseInput, type SuperviseOptions, type SuperviseResult } from './supervisor/supervise.ts';
export { checkParallelAllowed, isParallelAllowed, maxConcurrentRuns, ParallelismPolicyViolation } from './supervisor/gate.ts';
export { acquireLock, readLock, staleReason, HeldLock, type LockBody } from './supervisor/lock-file.ts';
export { collectGarbage, type GcItem } from './supervisor/gc.ts';
export { listWorktrees, createWorktree, removeWorktree } from './supervisor/worktree.ts';
export { checkProductionConfigs, checkContentForDebug, isProductionConfig, type DebugViolation } from './enforcement/production-config.ts';
export { loadModelCatalog, SEED_CATALOG, REQUIRED_TIERS, type LoadedCatalog } from './models/catalog.ts';
export { selectBestModelForTier, createRoutingSnapshot, escalateTier } from './models/routing.ts';
export { refreshRoutingSnapshot } from './models/refresh.ts';
export { runCheck, displayCommand, type CheckRequest, type CheckResult } from './runner/run-check.ts';
export { redact } from './runner/redact.ts';
export { computeWorkspaceDigest, GIT_UNAVAILABLE_SENTINEL } from './git/digest.ts';
export { createGit, type Git, type GitResult, type RepoState } from './git/git.ts';
export { gapId, reportId } from './gaps/ids.ts';
export { failsOn, summarizeGaps } from './gaps/summary.ts';
export { runBaseDir, runFamily, resolveRunsDir, RUN_ARTIFACTS } from './fs/run-layout.ts';
export { writeFileAtomic, writeJsonAtomic } from './fs/atomic-write.ts';
export { systemClock, fixedClock, clockFromEnv, type Clock } from './util/clock.ts';
export { AutopackError, ConfigError, InvalidArtifactError, EffectViolation, ActionRefused } from './util/errors.ts';
export type { Logger } from './util/logger.ts';
export * from './contracts/index.ts';
export { artifactJsonSchema } from './contracts/json-schema.ts';
