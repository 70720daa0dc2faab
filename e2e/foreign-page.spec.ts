import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, signIn, test } from './fixtures';

/** John Smith of the demo clinic. */
const JOHN_SMITH = '00000000-0000-4000-8000-000000000201';

/**
 * A page served by some other program on this PC (another port of 127.0.0.1): the browser
 * sends it our cookie too, since cookies ignore ports. It tries what such a page can do.
 */
function foreignPage(appOrigin: string): string {
  const chart = `${appOrigin}/trpc/patients.get?input=${encodeURIComponent(JSON.stringify({ id: JOHN_SMITH }))}`;
  return `<!doctype html><html><body>
    <img src="${chart}">
    <form id="out" method="POST" action="${appOrigin}/trpc/auth.signOut" enctype="text/plain"><input name="{}" value=""></form>
    <script>
      fetch(${JSON.stringify(chart)}, { credentials: 'include', mode: 'no-cors' }).finally(() => {
        fetch('${appOrigin}/trpc/auth.signOut', { method: 'POST', credentials: 'include', mode: 'no-cors', body: '{}' })
          .finally(() => document.getElementById('out').submit());
      });
    </script>
  </body></html>`;
}

test('a page from another local port gets nothing and changes nothing, though it has the cookie', async ({ page, context, clinicDesk }) => {
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  const appOrigin = clinicDesk.origin;
  let server: Server | undefined;
  try {
    server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(foreignPage(appOrigin));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    // Other specs on this worker's server open charts too: only what happens from here on counts.
    const since = Date.now();
    const foreign = await context.newPage();
    await foreign.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    // The last try, a plain form post, lands on our server's refusal.
    await foreign.waitForURL(/\/trpc\/auth\.signOut$/);
    await expect(foreign.locator('body')).toHaveText(
      /Cross-origin requests are not allowed|other sites or ports|did not come from the ClinicDesk page/,
    );
    await foreign.close();

    // Still signed in (no sign-out got through), and no chart was opened in the admin's name.
    await page.reload();
    await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
    const activity = await page.evaluate(async () => {
      const key = document.querySelector<HTMLMetaElement>('meta[name="clinicdesk-request-key"]')!.content;
      const input = encodeURIComponent(JSON.stringify({ limit: 50 }));
      const response = await fetch(`/trpc/admin.recentActivity?input=${input}`, { headers: { 'x-clinicdesk-request-key': key } });
      return ((await response.json()) as { result: { data: { activity_type: string; created_at: string }[] } }).result.data;
    });
    expect(activity.map((a) => a.activity_type)).toContain('auth.sign_in');
    const sinceForeignPage = activity.filter((a) => Date.parse(a.created_at) >= since).map((a) => a.activity_type);
    expect(sinceForeignPage).not.toContain('patient.view');
  } finally {
    server?.close();
  }
});
