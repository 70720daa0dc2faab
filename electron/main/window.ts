import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { isExternalLinkAllowed, isRendererUrl, type RendererLocation } from './renderer-location';

/**
 * Session-wide rules: every response carries our CSP (replacing any the server sent), and
 * the renderer gets no permission at all: camera, notifications, geolocation, fullscreen…
 */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Rules for every webContents the app ever creates: no navigation away from our renderer
 * (in any frame), no new windows (https links go to the system browser), no <webview>.
 */
export function hardenContents(contents: WebContents, renderer: RendererLocation): void {
  contents.on('will-frame-navigate', (event) => {
    if (!isRendererUrl(event.url, renderer)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function createMainWindow(renderer: RendererLocation, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'ClinicDesk',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  // Shown once painted, so staff never see a blank white window.
  window.once('ready-to-show', () => window.show());
  const loading = renderer.kind === 'file' ? window.loadFile(renderer.path) : window.loadURL(renderer.url);
  loading.catch((error: unknown) => console.error('[clinicdesk] the window could not load the renderer', error));
  return window;
}
