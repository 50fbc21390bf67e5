import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Tests never touch the real home: HOME is a temp dir, and a change under ~/.switchyard etc. fails the run.
    globalSetup: ["../../vitest.home-guard.ts"],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Property tests run hundreds of generated cases: on a busy shared 2-core machine they
    // take far over the default 5 s (the JSON literal one took 104 s) without anything wrong.
    testTimeout: 300_000,
  },
});
