import { checkOutcome } from '../lib/gaps/default-checks.ts';
import { gapId } from '../lib/gaps/ids.ts';
import { defineAction } from '../lib/registry/types.ts';
import { redact } from '../lib/runner/redact.ts';

/**
 * Re-runs the check behind a doc_drift gap and keeps its output (up to 64 KiB per stream,
 * secrets redacted) in `logs/<check id>.log` of the run directory: the report only has
 * 500-character excerpts, a human fixing the drift wants the whole message.
 */
export default defineAction({
  id: 'capture_check_log',
  title: 'Capture the check output',
  description: 'Re-runs the documentation check and saves its output under logs/ in the run directory',
  action_types: ['verify'],
  effects: ['run_local_write'],
  verifies: ['doc_drift'],
  async run(ctx, action) {
    const gap = ctx.gaps[0];
    if (!gap) return { success: false, summary: 'no target gap', error: `${action.action_id} names no gap of the report` };
    const check = ctx.checks('doc_drift').find((candidate) => gapId('doc_drift', [candidate.id]) === gap.gap_id);
    if (!check) return { success: true, verdict: 'inconclusive', summary: `no configured check produces ${gap.gap_id} any more` };
    const result = await ctx.runCheck({
      id: check.id,
      argv: check.run,
      ...(check.cwd ? { cwd: check.cwd } : {}),
      timeoutMs: (check.timeout_s ?? 60) * 1000,
    });
    const file = `logs/${check.id.replace(/[^A-Za-z0-9._-]/g, '_')}.log`;
    const log = [
      `$ ${result.command}`,
      `exit ${result.exit_code}${result.timed_out ? ' (timed out)' : ''}${result.error ? `: ${result.error}` : ''}`,
      `--- stdout (${result.stdout_bytes} bytes${result.stdout_truncated ? ', cut at 64 KiB' : ''}) ---`,
      redact(result.stdout),
      `--- stderr (${result.stderr_bytes} bytes${result.stderr_truncated ? ', cut at 64 KiB' : ''}) ---`,
      redact(result.stderr),
      '',
    ].join('\n');
    await ctx.writeRunFile(file, log);
    const resolved = checkOutcome(check.run, result) === 'pass';
    return { success: true, verdict: resolved ? 'resolved' : 'still_present', summary: `saved ${file} (${result.command} exited ${result.exit_code})`, check: result, written: [file] };
  },
});
