// `npm run build`: builds main, preload and renderer into out/ with electron-vite.
// Also the helpers start.mjs and browser.mjs share.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * The Electron executable, or undefined where the runtime is not installed. The package's
 * main module returns the binary's path, and throws when the binary's download failed.
 */
export function findElectronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs a command in the project folder with our terminal, passing on termination signals;
 * resolves with its exit code (128 + signal number when a signal ended it).
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const forward = (signal) => child.kill(signal);
    for (const signal of signals) process.on(signal, forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const name of signals) process.off(name, forward);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

/**
 * The electron-vite command line for `args` (build, dev, …) and its environment: where the
 * electron package is absent, electron-vite needs Electron's major version told.
 */
export function electronViteCommand(...args) {
  const env = { ...process.env };
  let electronPackagePresent = true;
  try {
    require.resolve('electron/package.json');
  } catch {
    electronPackagePresent = false;
  }
  if (!electronPackagePresent && !env.ELECTRON_MAJOR_VER) {
    const { optionalDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    env.ELECTRON_MAJOR_VER = optionalDependencies.electron.replace(/^\D*/, '').split('.')[0];
  }
  const packageDir = dirname(require.resolve('electron-vite/package.json'));
  const { bin } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  return { command: [process.execPath, join(packageDir, bin['electron-vite']), ...args], env };
}

/** `electron-vite build`: main, preload and renderer into out/. */
export function buildApp() {
  const { command, env } = electronViteCommand('build');
  return run(command[0], command.slice(1), { env });
}

/** Builds only if there is no built renderer yet (browser mode needs nothing else). */
export async function ensureRendererBuilt() {
  if (existsSync(join(root, 'out/renderer/index.html'))) return 0;
  console.log('Building ClinicDesk (first run)…');
  return buildApp();
}

/** True when `moduleUrl` is the script node was started with, not an import. */
export function isEntryPoint(moduleUrl) {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(realpathSync(process.argv[1])).href;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await buildApp();
