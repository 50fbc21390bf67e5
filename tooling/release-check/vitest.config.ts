import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Tests never touch the real home: HOME is a temp dir, and a change under ~/.switchyard etc. fails the run.
    globalSetup: ["../../vitest.home-guard.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
