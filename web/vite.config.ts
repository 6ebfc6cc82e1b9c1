import { defineConfig } from "vite";

// Relative asset paths: the built files work wherever `medtwin serve --web` mounts them, offline.
export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
});
