/** What a reporter may know besides the value it renders. */
export interface ReportContext {
  /** Paths in human output are shown relative to this folder. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Turns one kind of output into the text of one format, for stdout. */
export type Reporter<T> = (value: T, context: ReportContext) => string;

/** JSON as autopack writes it everywhere: two-space indent, trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
