import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Tests never touch the real home: HOME is a temp dir, and a change under ~/.switchyard etc. fails the run.
    globalSetup: ["../../vitest.home-guard.ts"],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The end-to-end tests drive a real OpenID provider over HTTP; a loaded CI machine needs room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
