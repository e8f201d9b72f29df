/** The prefix of every run's branch: `autopack/<run_id>`. */
export const DEFAULT_BRANCH_PREFIX = 'autopack/';

/**
 * Why `name` cannot be a branch, or undefined when it can: git's rules for a ref name
 * (`git check-ref-format --branch`), checked before anything is created.
 */
export function branchNameProblem(name: string): string | undefined {
  if (name === '' || name === '@') return 'it is empty or @';
  if (name.startsWith('-')) return 'it starts with -';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'it has an empty path component';
  if (name.endsWith('.')) return 'it ends with .';
  if (name.includes('..')) return 'it contains ..';
  if (name.includes('@{')) return 'it contains @{';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return 'it contains a space, a control character or one of ~ ^ : ? * [ \\';
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return `its component '${component}' starts with .`;
    if (component.endsWith('.lock')) return `its component '${component}' ends with .lock`;
  }
  return undefined;
}
