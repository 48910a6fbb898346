// The console's build: one static bundle in dist/console, which the api-gateway serves at /.
// No plugins: Vite's own transform compiles TSX with React's automatic runtime; there is no dev
// server workflow that would need Fast Refresh (the console is built by tools/build.mjs).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
});
