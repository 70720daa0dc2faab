/**
 * The desktop app's main process: the only trusted code. It owns the clinic's database and
 * the tRPC router, and answers the one window's requests over one IPC channel.
 *
 * Remote mode: set CLINICDESK_DATABASE_URL (and CLINICDESK_CLINIC_CODE on a shared server) to
 * use a tenant PostgreSQL for one run; add the `--remember-connection` switch to also save it,
 * encrypted with the OS keychain, in `<userData>/connection.json` for later runs. Deleting that
 * file returns the app to its offline database. `--user-data-dir=DIR` moves all of it.
 */
import { join, resolve } from 'node:path';
import { app, dialog, ipcMain, safeStorage, session, shell, type BrowserWindow } from 'electron';
import { openBackend } from '../server/backend';
import { PDF_CHANNEL, TRPC_CHANNEL } from '../preload/api';
import { createTrpcHandler } from './ipc';
import { createPdfHandler } from './pdf';
import type { RendererLocation } from './renderer-location';
import { chooseDatabase, loadConnectionSettings, saveConnectionSettings } from './settings';
import { createMainWindow, hardenContents, hardenSession } from './window';

// The folder browser mode's defaultDataDir() also points into, whatever package.json names the
// app. Set before anything reads it: the single-instance lock lives there too.
app.setPath(
  'userData',
  app.commandLine.hasSwitch('user-data-dir')
    ? resolve(app.commandLine.getSwitchValue('user-data-dir'))
    : join(app.getPath('appData'), 'ClinicDesk'),
);

// The dev server only while developing; a packaged app always shows its own files.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const renderer: RendererLocation = devServerUrl
  ? { kind: 'dev-server', url: devServerUrl }
  : { kind: 'file', path: join(import.meta.dirname, '../renderer/index.html') };
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

let mainWindow: BrowserWindow | undefined;

if (app.requestSingleInstanceLock()) {
  start();
} else {
  // Another instance owns the database; it brings its window forward on 'second-instance'.
  app.quit();
}

function start(): void {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, renderer));
  app.on('window-all-closed', () => app.quit());

  const ready = app.whenReady();
  const opened = ready.then(openClinicBackend);
  ipcMain.handle(
    TRPC_CHANNEL,
    createTrpcHandler({
      trusted: () => mainWindow && { contents: mainWindow.webContents, location: renderer },
      backend: async () => (await opened).backend,
    }),
  );

  ipcMain.handle(
    PDF_CHANNEL,
    createPdfHandler({
      trusted: () => mainWindow && { contents: mainWindow.webContents, location: renderer },
      desktop: {
        chooseFile: async (fileName) => {
          const options = { defaultPath: join(app.getPath('documents'), fileName), filters: [{ name: 'PDF', extensions: ['pdf'] }] };
          const choice = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
          return choice.canceled ? undefined : choice.filePath;
        },
        open: async (file) => {
          const failure = await shell.openPath(file);
          if (failure) throw new Error(`The PDF was saved to ${file} but could not be opened: ${failure}`);
        },
      },
    }),
  );

  void ready.then(() => {
    hardenSession(session.defaultSession);
    // The window opens while the database is still starting (2–4 s on a first run); its
    // first requests wait for it.
    const window = createMainWindow(renderer, preloadPath);
    mainWindow = window;
    window.on('closed', () => {
      mainWindow = undefined;
    });
  });

  opened.catch((error: unknown) => {
    dialog.showErrorBox('ClinicDesk could not start', error instanceof Error ? error.message : String(error));
    app.quit();
  });

  // The offline database must be closed (and checkpointed) before the process goes: hold the
  // quit once, close, then quit for real.
  let closing = false;
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    opened
      .then(
        ({ close }) => close(),
        () => undefined, // it never opened: nothing to close
      )
      .catch((error: unknown) => console.error('[clinicdesk] closing the database failed', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

async function openClinicBackend() {
  const userData = app.getPath('userData');
  const connectionFile = join(userData, 'connection.json');
  if (app.commandLine.hasSwitch('remember-connection')) {
    const databaseUrl = process.env.CLINICDESK_DATABASE_URL;
    if (!databaseUrl) throw new Error('--remember-connection saves CLINICDESK_DATABASE_URL, which is not set.');
    await saveConnectionSettings(connectionFile, safeStorage, {
      databaseUrl,
      clinicCode: process.env.CLINICDESK_CLINIC_CODE || undefined,
    });
  }
  const saved = await loadConnectionSettings(connectionFile, safeStorage);
  const { database, clinicCode } = chooseDatabase(process.env, saved, join(userData, 'database'));
  // A new offline database asks for the clinic's setup on its first run (or offers the demo in memory).
  return openBackend({
    database,
    demo: false,
    clinicCode,
    // The Admin screen's "Clinic server" form saves through this, encrypted by the OS keychain.
    desktop: { saveConnection: (settings) => saveConnectionSettings(connectionFile, safeStorage, settings) },
  });
}
