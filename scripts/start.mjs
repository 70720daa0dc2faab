// `npm start`: the desktop app where Electron's runtime is installed; elsewhere, says so and
// starts browser mode on the same offline database. Extra arguments are passed on.
import { runBrowserMode } from './browser.mjs';
import { buildApp, findElectronBinary, root, run } from './build.mjs';

const args = process.argv.slice(2);
const electron = findElectronBinary();

if (electron) {
  const built = await buildApp();
  // `.` is the project: Electron reads package.json, whose "main" is out/main/index.js.
  process.exitCode = built !== 0 ? built : await run(electron, ['.', ...args], { cwd: root });
} else {
  console.log(
    "Electron's runtime is not installed on this machine (its download is blocked or failed), " +
      'so ClinicDesk starts in browser mode instead. Open the address printed below.',
  );
  // A first run asks for the clinic's setup, or offers the demo clinic in memory.
  process.exitCode = await runBrowserMode(args);
}
