// The reload worker's bootstrap (plain JavaScript, so it starts under any runner). The project runs TypeScript
// through tsx: when the job is a .ts file, tsx is registered in this thread first, so the worker works the
// same under `node --import tsx`, vitest, and anything else that starts the main thread.
import { workerData } from 'node:worker_threads';

if (String(workerData.entry).endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
