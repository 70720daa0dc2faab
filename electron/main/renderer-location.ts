import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the window's page comes from: the built renderer's index.html, or the dev server
 * while `electron-vite dev` runs. Both the navigation guard and the IPC sender check ask
 * "is this URL our renderer?" against it.
 */
export type RendererLocation = { kind: 'file'; path: string } | { kind: 'dev-server'; url: string };

const caseInsensitivePaths = process.platform === 'win32' || process.platform === 'darwin';

function samePath(a: string, b: string): boolean {
  return caseInsensitivePaths ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** True for our renderer's page (any query or hash), false for anything else. */
export function isRendererUrl(url: string, location: RendererLocation): boolean {
  try {
    const parsed = new URL(url);
    // An opaque origin ("null") is never a match, or every file: URL would pass.
    if (location.kind === 'dev-server') return parsed.origin !== 'null' && parsed.origin === new URL(location.url).origin;
    if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
    parsed.search = '';
    parsed.hash = '';
    // Compared as decoded paths: Chromium and Node may percent-encode the same path differently.
    return samePath(fileURLToPath(parsed), resolve(location.path));
  } catch {
    // Unparseable, or a file URL Node refuses to map to a path (an encoded slash, say).
    return false;
  }
}

/** Links the renderer may hand to the system browser: https only, never file: or custom schemes. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
