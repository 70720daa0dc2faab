import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { CONTENT_SECURITY_POLICY } from './shared/security';

// electron-vite reads Electron's version from the installed package; where the binary could
// not be installed (optional dependency dropped) it needs the major version told.
process.env.ELECTRON_MAJOR_VER ??= '41';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          // PGlite runs in a worker thread, loaded by path at run time: emit it beside main.
          'pglite-worker-entry': resolve(import.meta.dirname, 'electron/server/db/pglite-worker-entry.mjs'),
          // So does the thread that reads half of each chunk of a patient import.
          'row-reader.worker': resolve(import.meta.dirname, 'electron/server/patient-import/row-reader.worker.mjs'),
        },
        output: { entryFileNames: (chunk) => (chunk.name === 'index' ? '[name].js' : '[name].mjs') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load ES modules: emit CommonJS with everything bundled.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    // Relative asset URLs: the desktop window loads the page from a file, browser mode over HTTP.
    base: './',
    plugins: [
      react(),
      {
        // The page carries its CSP itself too: file:// pages in Electron may not get the header.
        name: 'clinicdesk-csp-meta',
        transformIndexHtml: () => [
          { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
        ],
      },
    ],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      minify: true,
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});
