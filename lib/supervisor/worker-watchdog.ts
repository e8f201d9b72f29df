// A thread of the worker process that watches for the supervisor's death. The worker's own
// event loop may be blocked (a plugin detector spinning), so it cannot be trusted to notice:
// this thread has its own loop and only reads the parent pid. When the worker has a new
// parent, the supervisor is gone, and the whole run goes with it.
import process from 'node:process';
import { workerData } from 'node:worker_threads';
import { stopRunNow } from './worker-stop.ts';

const { supervisorPid, worktree } = workerData as { supervisorPid: number; worktree: string };

setInterval(() => {
  if (process.ppid !== supervisorPid) stopRunNow(worktree);
}, 200);
