import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    sourcemap: true,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    // Workspace packages are real dependencies, resolved at run time like any other.
    external: [/^@switchyard\//, "undici", "citty"],
  },
  {
    // The dashboard served at /ui: one script and one stylesheet, everything bundled in
    // (Preact, uPlot), so the page needs nothing from the network. uPlot is a chunk of its
    // own (`chunk-<hash>.js`, imported when a chart is first drawn) so the first paint and the
    // views without charts never wait for it.
    entry: { app: "src/ui/main.tsx" },
    outDir: "dist/ui",
    format: ["esm"],
    platform: "browser",
    target: "es2022",
    dts: false,
    clean: false,
    sourcemap: false,
    minify: true,
    splitting: true,
    noExternal: [/.*/],
    esbuildOptions(options) {
      options.chunkNames = "chunk-[hash]";
      options.jsx = "automatic";
      options.jsxImportSource = "preact";
    },
  },
]);
