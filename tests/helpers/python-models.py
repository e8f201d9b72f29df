"""The Python tool's artifact models (hshk99/Autopack), as pydantic models, to check autopack's
`--compat python` output with pydantic itself.

Written from the Python tool's published field lists: `extra="forbid"` at every level, fields
in declaration order, the bounds of its JSON Schemas (which its loaders run before the model)
added to the fields they constrain.

Usage: python3 python-models.py KIND FILE [KIND FILE ...]
KIND is gap_report_v1, plan_proposal_v1, autopilot_session_v1 or phase_proof. Prints one JSON
object per file (`{"file", "kind", "ok", "problems"}`) and exits 1 when any file fails: when
pydantic rejects it, or when the model's dump (`model_dump(mode="json", exclude_none=True)`)
differs from it in keys, key order or values (a date-time may differ in notation only).
"""

import json
import sys
from datetime import datetime
from typing import List, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


NonNegative = Field(ge=0)

# GapReportV1

GapType = Literal[
    "doc_drift", "root_clutter", "sot_duplicate", "test_infra_drift", "memory_budget_cap_issue",
    "windows_encoding_issue", "baseline_policy_drift", "protected_path_violation",
    "db_lock_contention", "git_state_corruption", "unknown",
]
Risk = Literal["critical", "high", "medium", "low", "info"]


class CommandEvidence(Model):
    command: str
    exit_code: int
    stdout_hash: str = ""
    stderr_excerpt: str = ""


class GapExcerpt(Model):
    source: str
    content_hash: Optional[str] = None
    preview: Optional[str] = Field(default=None, max_length=200)


class GapEvidence(Model):
    file_paths: List[str] = []
    test_names: List[str] = []
    excerpts: List[GapExcerpt] = []
    command_evidence: Optional[CommandEvidence] = None


class SafeRemediation(Model):
    approach: Optional[str] = None
    requires_approval: bool = True
    estimated_actions: Optional[int] = Field(default=None, ge=0)


class Gap(Model):
    gap_id: str
    gap_type: GapType
    title: Optional[str] = None
    description: Optional[str] = None
    detection_signals: List[str]
    evidence: Optional[GapEvidence] = None
    risk_classification: Risk
    blocks_autopilot: bool
    safe_remediation: Optional[SafeRemediation] = None


class GapSummary(Model):
    total_gaps: int = Field(default=0, ge=0)
    critical_gaps: int = Field(default=0, ge=0)
    high_gaps: int = Field(default=0, ge=0)
    medium_gaps: int = Field(default=0, ge=0)
    low_gaps: int = Field(default=0, ge=0)
    autopilot_blockers: int = Field(default=0, ge=0)


class GapReportMetadata(Model):
    scanner_version: Optional[str] = None
    scan_duration_ms: Optional[int] = Field(default=None, ge=0)


class GapReportV1(Model):
    format_version: Literal["v1"] = "v1"
    project_id: str = Field(min_length=1)
    run_id: str = Field(min_length=1)
    generated_at: datetime
    workspace_state_digest: Optional[str] = Field(default=None, pattern=r"^[a-f0-9]{16,64}$")
    gaps: List[Gap]
    summary: Optional[GapSummary] = None
    metadata: Optional[GapReportMetadata] = None


# PlanProposalV1

ActionType = Literal[
    "tidy_apply", "test_fix", "doc_update", "baseline_refresh", "config_update",
    "dependency_install", "file_move", "file_delete", "git_operation", "custom",
]


class EstimatedCost(Model):
    tokens: Optional[int] = Field(default=None, ge=0)
    time_seconds: Optional[int] = Field(default=None, ge=0)
    api_calls: Optional[int] = Field(default=None, ge=0)


class Action(Model):
    action_id: str
    action_type: ActionType
    title: Optional[str] = None
    description: Optional[str] = None
    target_gap_ids: List[str]
    risk_score: float = Field(ge=0.0, le=1.0)
    risk_factors: List[str] = []
    approval_status: Literal["auto_approved", "requires_approval", "blocked"]
    approval_reason: Optional[str] = None
    target_paths: List[str] = []
    command: Optional[str] = None
    estimated_cost: Optional[EstimatedCost] = None
    dependencies: List[str] = []
    rollback_strategy: Optional[str] = None


class PlanSummary(Model):
    total_actions: int = Field(ge=0)
    auto_approved_actions: int = Field(ge=0)
    requires_approval_actions: int = Field(ge=0)
    blocked_actions: int = Field(ge=0)
    total_estimated_tokens: Optional[int] = Field(default=None, ge=0)
    total_estimated_time_seconds: Optional[int] = Field(default=None, ge=0)


class ProtectedPathCheck(Model):
    path: str
    is_protected: bool
    action_id: str


class BudgetCompliance(Model):
    within_global_cap: bool
    within_per_call_cap: bool
    estimated_usage_pct: Optional[float] = Field(default=None, ge=0.0, le=1.0)


class GovernanceChecks(Model):
    default_deny_applied: bool
    never_auto_approve_violations: List[str] = []
    protected_path_checks: List[ProtectedPathCheck] = []
    budget_compliance: Optional[BudgetCompliance] = None


class PlanMetadata(Model):
    proposer_version: Optional[str] = None
    generation_duration_ms: Optional[int] = Field(default=None, ge=0)


class PlanProposalV1(Model):
    format_version: Literal["v1"] = "v1"
    project_id: str = Field(min_length=1)
    run_id: str = Field(min_length=1)
    generated_at: datetime
    anchor_id: str
    gap_report_id: str  # Optional in the model, required by the schema its loader runs first
    actions: List[Action]
    summary: Optional[PlanSummary] = None
    governance_checks: Optional[GovernanceChecks] = None
    metadata: Optional[PlanMetadata] = None


# AutopilotSessionV1


class ExecutionSummary(Model):
    total_actions: int = Field(default=0, ge=0)
    auto_approved_actions: int = Field(default=0, ge=0)
    executed_actions: int = Field(default=0, ge=0)
    successful_actions: int = Field(default=0, ge=0)
    failed_actions: int = Field(default=0, ge=0)
    blocked_actions: int = Field(default=0, ge=0)


class ApprovalRequest(Model):
    action_id: str
    approval_status: Literal["requires_approval", "blocked"]
    reason: str


class ErrorLogEntry(Model):
    timestamp: datetime
    action_id: Optional[str] = None
    error_type: str
    error_message: str


class SessionMetadata(Model):
    autopilot_version: Optional[str] = None
    session_duration_ms: Optional[int] = Field(default=None, ge=0)
    enabled_explicitly: Optional[bool] = None


class AutopilotSessionV1(Model):
    format_version: Literal["v1"] = "v1"
    project_id: str
    run_id: str
    session_id: str
    started_at: datetime
    completed_at: Optional[datetime] = None
    status: Literal["running", "completed", "blocked_approval_required", "failed", "aborted"]
    anchor_id: str
    gap_report_id: str
    plan_proposal_id: str
    execution_summary: Optional[ExecutionSummary] = None
    executed_action_ids: List[str] = []
    blocked_reason: Optional[str] = None
    approval_requests: List[ApprovalRequest] = []
    error_log: List[ErrorLogEntry] = []
    metadata: Optional[SessionMetadata] = None


# PhaseProof


class PhaseChange(Model):
    files_created: int = Field(default=0, ge=0)
    files_modified: int = Field(default=0, ge=0)
    files_deleted: int = Field(default=0, ge=0)
    key_changes: List[str] = Field(default=[], max_length=10)
    change_summary: str = Field(max_length=500)


class PhaseVerification(Model):
    tests_passed: int = Field(default=0, ge=0)
    tests_failed: int = Field(default=0, ge=0)
    probes_executed: List[str] = Field(default=[], max_length=20)
    contracts_verified: List[str] = Field(default=[], max_length=20)
    verification_summary: str = Field(max_length=500)


class PhaseProof(Model):
    proof_id: str
    run_id: str
    phase_id: str
    created_at: datetime
    completed_at: datetime
    duration_seconds: float = Field(ge=0)
    changes: PhaseChange
    verification: PhaseVerification
    success: bool
    error_summary: Optional[str] = Field(default=None, max_length=500)
    schema_version: Literal["1.0"] = "1.0"
    metrics_placeholder: bool = False


MODELS = {
    "gap_report_v1": GapReportV1,
    "plan_proposal_v1": PlanProposalV1,
    "autopilot_session_v1": AutopilotSessionV1,
    "phase_proof": PhaseProof,
}


def same_instant(a, b):
    try:
        return datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.fromisoformat(b.replace("Z", "+00:00"))
    except ValueError:
        return False


def dump_differences(given, dumped, path, out):
    """Where the model's dump differs from the document (a null the dump omits is no difference)."""
    if isinstance(given, dict) and isinstance(dumped, dict):
        keys = [key for key, value in given.items() if value is not None]
        if keys != list(dumped.keys()):
            out.append(f"{path}: keys {keys} but the model dumps {list(dumped.keys())}")
        for key in keys:
            if key in dumped:
                dump_differences(given[key], dumped[key], f"{path}.{key}", out)
    elif isinstance(given, list) and isinstance(dumped, list):
        if len(given) != len(dumped):
            out.append(f"{path}: {len(given)} items but the model dumps {len(dumped)}")
        for index, (a, b) in enumerate(zip(given, dumped)):
            dump_differences(a, b, f"{path}[{index}]", out)
    elif isinstance(given, bool) or isinstance(dumped, bool):
        if given is not dumped:
            out.append(f"{path}: {given!r} but the model dumps {dumped!r}")
    elif isinstance(given, (int, float)) and isinstance(dumped, (int, float)):
        if float(given) != float(dumped):
            out.append(f"{path}: {given!r} but the model dumps {dumped!r}")
    elif isinstance(given, str) and isinstance(dumped, str):
        if given != dumped and not same_instant(given, dumped):
            out.append(f"{path}: {given!r} but the model dumps {dumped!r}")
    elif given != dumped:
        out.append(f"{path}: {given!r} but the model dumps {dumped!r}")


def check(kind, path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    try:
        model = MODELS[kind].model_validate(data)
    except ValidationError as error:
        return [f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}" for issue in error.errors()]
    problems = []
    dump_differences(data, model.model_dump(mode="json", exclude_none=True), "$", problems)
    return problems


def main(argv):
    pairs = list(zip(argv[0::2], argv[1::2]))
    failed = False
    for kind, path in pairs:
        problems = check(kind, path)
        failed = failed or bool(problems)
        print(json.dumps({"file": path, "kind": kind, "ok": not problems, "problems": problems}))
    return 1 if failed or not pairs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
