import type { SupervisorResultV1 } from '../../contracts/supervisor-result.ts';
import type { Reporter } from '../types.ts';

/**
 * `--format jsonl`: the last line of the stream, `{"type":"result", ...SupervisorResultV1}`.
 * `autopilot supervise` prints each supervisor event as a line of its own (`{"ts", "type",
 * …}`, the lines of events.jsonl) while it happens, and this line once everything is done; a
 * pipeline reads lines until the one whose type is `result`. No event has that type.
 */
const render: Reporter<SupervisorResultV1> = (result) => `${JSON.stringify({ type: 'result', ...result })}\n`;
export default render;
