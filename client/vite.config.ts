import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web client, built into dist/client and served by the API server at `/`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // hls.js (about 580 kB, 180 kB gzipped) is a chunk of its own that only the video page loads.
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
