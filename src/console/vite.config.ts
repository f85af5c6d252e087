import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The console's build: static files in dist/console, which the X-Ray service serves on its API port. */
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: path.resolve(here, '../../dist/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
  },
});
