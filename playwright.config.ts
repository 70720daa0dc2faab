import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive browser mode in the Chromium the system provides (Debian's
 * package here), so nothing is downloaded. They expect `npm run build` to have run.
 */
export default defineConfig({
  testDir: 'e2e',
  // e2e/*.test.ts drive the desktop app from vitest; Playwright runs the browser specs.
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    viewport: { width: 1366, height: 768 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
});
