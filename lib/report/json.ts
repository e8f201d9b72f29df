import { jsonText, type Reporter } from './types.ts';

/** Every kind of output as JSON: the machine form, and the default of every command whose output is an artifact. */
const render: Reporter<unknown> = (value) => jsonText(value);
export default render;
