// Preload (`node --import`) that records every module URL the process loads into the file
// named by AUTOPACK_RECORD_IMPORTS: to prove what a command does not import.
import { register } from 'node:module';

if (process.env.AUTOPACK_RECORD_IMPORTS) {
  register(
    `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
const file = ${JSON.stringify(process.env.AUTOPACK_RECORD_IMPORTS)};
export async function load(url, context, next) {
  appendFileSync(file, url + '\\n');
  return next(url, context);
}`)}`,
  );
}
