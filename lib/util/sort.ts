/**
 * Code-point order, the order Python's `sorted()` gives; never locale-dependent.
 * UTF-16 code-unit order differs from code-point order only where a surrogate meets a
 * unit in U+E000..U+FFFF, so those two ranges are swapped before comparing.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

const BEYOND_SURROGATES = /[\ud800-\uffff]/;
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts strings in place by code point. Where no string holds a unit from U+D800 up (almost
 * always), code-unit order is the same, and the engine's own string comparison is much faster.
 */
export function sortByCodePoint(values: string[]): string[] {
  return values.sort(values.some((value) => BEYOND_SURROGATES.test(value)) ? compareCodePoints : byCodeUnit);
}

/** Sorted by code point, duplicates removed. */
export function sortedUnique(values: Iterable<string>): string[] {
  return sortByCodePoint([...new Set(values)]);
}
