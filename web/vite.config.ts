import { defineConfig } from 'vite';

/**
 * The console is served by the server at /console/ (src/api/console/), from dist/console/, which this build
 * writes. No inline script or style ends up in index.html: the server's Content-Security-Policy forbids them.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // The module preload polyfill is an inline script in some set-ups; modern browsers need none.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
});
