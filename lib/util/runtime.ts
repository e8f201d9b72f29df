export const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
