import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isExternalLinkAllowed, isRendererUrl, type RendererLocation } from './renderer-location';

// The navigation guard (window.ts, will-frame-navigate) and the IPC sender check share this.
describe('isRendererUrl', () => {
  const path = join('/Applications/ClinicDesk app/out/renderer', 'index.html');
  const built: RendererLocation = { kind: 'file', path };

  it('matches our index.html with any query or hash, however the path is encoded', () => {
    expect(isRendererUrl(pathToFileURL(path).href, built)).toBe(true);
    expect(isRendererUrl(`${pathToFileURL(path).href}?x=1#/billing`, built)).toBe(true);
    expect(isRendererUrl('file:///Applications/ClinicDesk%20app/out/renderer/index.html', built)).toBe(true);
  });

  it('refuses other files, hosts and schemes', () => {
    expect(isRendererUrl(pathToFileURL('/etc/passwd').href, built)).toBe(false);
    expect(isRendererUrl('file://server/Applications/ClinicDesk%20app/out/renderer/index.html', built)).toBe(false);
    expect(isRendererUrl('https://evil.example/index.html', built)).toBe(false);
    expect(isRendererUrl('javascript:alert(1)', built)).toBe(false);
  });

  it('while developing, matches the dev server origin only', () => {
    const dev: RendererLocation = { kind: 'dev-server', url: 'http://localhost:5173' };
    expect(isRendererUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isRendererUrl(pathToFileURL(path).href, dev)).toBe(false);
  });
});

describe('isExternalLinkAllowed', () => {
  it('hands only https links to the system browser', () => {
    expect(isExternalLinkAllowed('https://www.nhs.uk/conditions/')).toBe(true);
    for (const url of ['http://example.com', 'file:///etc/passwd', 'smb://server/share', 'javascript:alert(1)', 'ms-settings:', 'nope']) {
      expect(isExternalLinkAllowed(url), url).toBe(false);
    }
  });
});
