import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toJsonText } from '../../fs/atomic-write.ts';
import { openWorkspace } from '../../config/workspace.ts';
import { checkProductionConfigs, REMEDIATION } from '../../enforcement/production-config.ts';
import { listWorkspaceFiles } from '../../gaps/file-list.ts';
import { choiceFlag, stringFlag } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

export async function checkProductionConfigCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['text', 'json'] as const, 'text');
  const logger = await createCliLogger(io);
  // The workspace's config applies: its runs dir and `exclude` globs (test fixtures, say).
  const workspace = await openWorkspace({ workspace: stringFlag(flags.repoRoot, '--repo-root'), cwd: io.cwd, env: io.env });
  const root = workspace.root;
  const { files } = await listWorkspaceFiles({ root, git: workspace.git, repo: workspace.repo, runsDir: workspace.runsDir, exclude: workspace.config.config.exclude ?? [] });
  const result = await checkProductionConfigs(files, (path) => readFile(join(root, path), 'utf8').catch(() => {
    logger.warn(`cannot read ${path}`);
    return undefined;
  }));
  if (format === 'json') {
    io.stdout(toJsonText({ repo_root: root, checked_files: result.files, violations: result.violations, ...(result.violations.length ? { remediation: REMEDIATION } : {}) }));
  } else if (result.violations.length > 0) {
    const lines = [`FOUND ${result.violations.length} DEBUG VIOLATION(S):`];
    for (const violation of result.violations) lines.push(`  ${violation.file}:${violation.line}`, `    Pattern: ${violation.pattern}`, `    Content: ${violation.content}`);
    lines.push('', REMEDIATION);
    io.stdout(`${lines.join('\n')}\n`);
  }
  if (result.violations.length === 0) {
    logger.success(`No DEBUG enablement found in production configs (${result.files.length} checked)`);
    return 0;
  }
  logger.error(`${result.violations.length} DEBUG enablement(s) in production configs`);
  return 1;
}
