import { defineConfig } from 'vite';
export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: '../../dist/web', emptyOutDir: true },
});
