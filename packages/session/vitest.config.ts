import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The examples import the package by name; test them against the source, not a stale build.
  resolve: {
    alias: { "@switchyard/session": fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
  },
  test: {
    // Tests never touch the real home: HOME is a temp dir, and a change under ~/.switchyard etc. fails the run.
    globalSetup: ["../../vitest.home-guard.ts"],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Property tests run hundreds of generated cases: on a busy shared 2-core machine that
    // takes over the default 5 s without anything being wrong.
    testTimeout: 30_000,
  },
});
