// `npm run browser -- [--port N] [--data-dir DIR] [--demo]`: the router and the built renderer
// over HTTP on 127.0.0.1 (electron/server/browser-main.ts), building the renderer first if needed.
import { join } from 'node:path';
import { ensureRendererBuilt, isEntryPoint, root, run } from './build.mjs';

/** Resolves with browser mode's exit code once it stops (Ctrl-C, SIGTERM, or a startup failure). */
export async function runBrowserMode(args) {
  const built = await ensureRendererBuilt();
  if (built !== 0) return built;
  return run(process.execPath, ['--import', 'tsx', join(root, 'electron/server/browser-main.ts'), ...args]);
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runBrowserMode(process.argv.slice(2));
