import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server embeds dist/: hashed file names under /assets are cached forever, index.html never.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8065', ws: true },
    },
  },
});
