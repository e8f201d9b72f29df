import { Worker, type WorkerOptions } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isDeno } from './runtime.ts';


// Running from the .ts sources under Node, a thread does not inherit tsx's hooks: it registers
// them itself before it imports its module. Deno runs TypeScript as it is; compiled code needs none.
const REGISTER_THEN_IMPORT = `const { workerData } = require('node:worker_threads'); import(workerData.__tsx).then(({ register }) => { register(); return import(workerData.__module); });`;

/** A worker thread running one of autopack's own modules (an absolute path to its .ts source or compiled .js). */
export function startModuleThread(file: string, workerData: Record<string, unknown>, options: Omit<WorkerOptions, 'workerData' | 'eval'> = {}): Worker {
  if (!file.endsWith('.ts') || isDeno) return new Worker(isDeno ? pathToFileURL(file) : file, { ...options, workerData });
  const data = { ...workerData, __module: pathToFileURL(file).href, __tsx: import.meta.resolve('tsx/esm/api') };
  return new Worker(REGISTER_THEN_IMPORT, { ...options, eval: true, workerData: data });
}
