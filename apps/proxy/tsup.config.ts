import { defineConfig } from "tsup";

export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node20",
  banner: { js: "#!/usr/bin/env node" },
  // Workspace packages are real dependencies, resolved at run time like any other.
  external: [/^@switchyard\//, "undici", "citty"],
});
