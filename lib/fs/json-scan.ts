/**
 * One linear pass over JSON text for what JSON.parse does not say: where a syntax error is
 * (V8's message may quote the file and often gives no position), duplicate keys (JSON.parse
 * silently keeps the last one) and nesting depth. It builds no values — JSON.parse does that.
 * The yaml library could find duplicates too (JSON is YAML 1.2), but it takes over a second
 * for a 5 MB gap report where this takes milliseconds.
 */

export type JsonProblem =
  | { kind: 'syntax'; message: string; offset: number }
  | { kind: 'duplicate_key'; key: string; offset: number }
  | { kind: 'too_deep'; offset: number };

interface Frame {
  /** Keys seen so far in an object; undefined for an array. */
  keys: Set<string> | undefined;
}

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** The first problem of `text` as JSON, or undefined when it is valid JSON with unique keys. */
export function scanJson(text: string, maxDepth: number): JsonProblem | undefined {
  const length = text.length;
  const stack: Frame[] = [];
  let i = 0;
  const syntax = (message: string, offset = i): JsonProblem => ({ kind: 'syntax', message: i >= length && offset >= length ? 'unexpected end of input' : message, offset });
  const skipSpace = () => {
    while (i < length && isSpace(text.charCodeAt(i))) i++;
  };

  /** Reads the string starting at `i`; returns its end (after the closing quote) or a problem. */
  const stringEnd = (): number | JsonProblem => {
    let j = i + 1;
    while (j < length) {
      const code = text.charCodeAt(j);
      if (code === 0x22) return j + 1;
      if (code === 0x5c) {
        const next = text[j + 1] ?? '';
        if (next === 'u') {
          HEX4.lastIndex = j + 2;
          if (!HEX4.test(text)) return syntax('invalid \\u escape in a string', j);
          j += 6;
        } else if (SIMPLE_ESCAPES.has(next)) j += 2;
        else return syntax('invalid escape in a string', j);
        continue;
      }
      if (code < 0x20) return syntax('unescaped control character in a string', j);
      j++;
    }
    return syntax('unterminated string', i);
  };

  /** Reads one key of the object on top of the stack, and the colon after it. */
  const key = (frame: Frame): JsonProblem | undefined => {
    skipSpace();
    if (text.charCodeAt(i) !== 0x22) return syntax('expected a double-quoted property name');
    const start = i;
    const end = stringEnd();
    if (typeof end !== 'number') return end;
    const raw = text.slice(start + 1, end - 1);
    const name = raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
    if (frame.keys!.has(name)) return { kind: 'duplicate_key', key: name, offset: start };
    frame.keys!.add(name);
    i = end;
    skipSpace();
    if (text.charCodeAt(i) !== 0x3a) return syntax("expected ':' after a property name");
    i++;
    return undefined;
  };

  for (;;) {
    // A value.
    skipSpace();
    const code = text.charCodeAt(i);
    if (code === 0x7b || code === 0x5b) {
      if (stack.length >= maxDepth) return { kind: 'too_deep', offset: i };
      const frame: Frame = { keys: code === 0x7b ? new Set() : undefined };
      i++;
      skipSpace();
      if (text.charCodeAt(i) === (code === 0x7b ? 0x7d : 0x5d)) i++;
      else {
        stack.push(frame);
        if (frame.keys) {
          const problem = key(frame);
          if (problem) return problem;
        }
        continue;
      }
    } else if (code === 0x22) {
      const end = stringEnd();
      if (typeof end !== 'number') return end;
      i = end;
    } else if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return syntax('invalid number');
      i = NUMBER.lastIndex;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return syntax('expected a value');

    // What follows a value: a separator, the end of its container, or the end of the text.
    for (;;) {
      skipSpace();
      const frame = stack[stack.length - 1];
      if (!frame) return i < length ? syntax('unexpected content after the JSON value') : undefined;
      const next = text.charCodeAt(i);
      if (next === 0x2c) {
        i++;
        if (frame.keys) {
          const problem = key(frame);
          if (problem) return problem;
        }
        break;
      }
      if (next === (frame.keys ? 0x7d : 0x5d)) {
        i++;
        stack.pop();
        continue;
      }
      return syntax(frame.keys ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element");
    }
  }
}
