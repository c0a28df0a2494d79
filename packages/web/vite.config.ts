import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app at the root of its origin; `dist/` holds no configuration (the app reads /config.json
// at run time), so one build deploys anywhere. The manifest lets a test weigh each page's JavaScript.
export default defineConfig({
  plugins: [react()],
  build: { manifest: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
});
