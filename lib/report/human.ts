// Small helpers for text meant for people (stdout in --format text, stderr messages).
import { escapeRunnerCommands } from '../util/runner-commands.ts';

// C0/C1 controls, DEL, zero-width and bidi characters, BOM: never printed raw.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

/** A name or message as it can be read: invisible and control characters escaped (`\u200b`, `\n`), and never a CI runner's command. */
export function shown(text: string): string {
  return escapeRunnerCommands(text).replace(INVISIBLE, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\t') return '\\t';
    if (char === '\r') return '\\r';
    return `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  });
}

/** `1 gap`, `2 gaps`: a count with its noun in the right number. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
