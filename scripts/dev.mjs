// `npm run dev`: the app with changes picked up as you save. With Electron's runtime installed,
// electron-vite's dev server (the renderer hot-reloads, main and preload restart). Without it,
// browser mode on a development database (.data/dev, with the demo clinic): the renderer is
// rebuilt on save (reload the page) and the server restarts when backend code changes.
import { join } from 'node:path';
import { electronViteCommand, findElectronBinary, root, run } from './build.mjs';

const args = process.argv.slice(2);

if (findElectronBinary()) {
  const { command, env } = electronViteCommand('dev');
  process.exitCode = await run(command[0], command.slice(1), { env });
} else {
  console.log("Electron's runtime is not installed: developing in browser mode (reload the page after a change).");
  // The renderer's own Vite config from electron.vite.config.ts, rebuilt into out/renderer on save.
  const { build } = await import('vite');
  const { default: config } = await import('../electron.vite.config.ts');
  const watcher = await build({ ...config.renderer, configFile: false, build: { ...config.renderer.build, emptyOutDir: true, watch: {} } });
  const server = join(root, 'electron/server/browser-main.ts');
  process.exitCode = await run(process.execPath, [
    '--import',
    'tsx',
    '--watch',
    server,
    '--data-dir',
    join(root, '.data/dev'),
    '--demo',
    ...args,
  ]);
  await watcher.close();
}
