import { expect, openSignIn, signIn, test } from './fixtures';
import type { Page } from '@playwright/test';

interface Wire {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/**
 * Stands in for the desktop preload: `window.clinicDesk.trpcFetch` carries each wire request
 * to this server over HTTP, so the renderer's IPC link runs against the real router.
 */
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const wireCalls: Wire[] = [];
    Object.assign(window, {
      wireCalls,
      clinicDesk: {
        async trpcFetch(wire: Wire) {
          wireCalls.push(wire);
          const { pathname, search } = new URL(wire.url);
          // The browser-mode server behind this stand-in asks for its page's request key (main, over IPC, would not).
          const key = document.querySelector<HTMLMetaElement>('meta[name="clinicdesk-request-key"]')?.content ?? '';
          const response = await fetch(pathname + search, {
            method: wire.method,
            headers: { ...wire.headers, 'x-clinicdesk-request-key': key },
            body: wire.body ?? undefined,
          });
          return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
        },
      },
    });
  });
});

function wireCalls(page: Page): Promise<Wire[]> {
  return page.evaluate(() => (window as unknown as { wireCalls: Wire[] }).wireCalls);
}

test('with the desktop bridge, every call goes through it as a plain wire request', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  await expect(page.getByText('Offline · this PC')).toBeVisible();

  const calls = await wireCalls(page);
  for (const call of calls) {
    expect(call.url).toMatch(/^http:\/\/clinicdesk\.ipc\/trpc\//);
    expect(['GET', 'POST']).toContain(call.method);
    expect(call.body === null || typeof call.body === 'string').toBe(true);
  }
  const procedures = calls.map((call) => new URL(call.url).pathname);
  expect(procedures.some((path) => path.includes('auth.session'))).toBe(true);
  expect(procedures.some((path) => path.includes('system.status'))).toBe(true);
  expect(calls.some((call) => call.url.includes('auth.signIn') && call.method === 'POST' && call.body?.includes('admin@demo.clinic'))).toBe(
    true,
  );
});

test('with the desktop bridge, field messages still reach their fields', async ({ page, clinicDesk }) => {
  await openSignIn(page, clinicDesk);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription('Enter your email address.');
  expect((await wireCalls(page)).some((call) => call.url.includes('auth.signIn'))).toBe(true);
});
