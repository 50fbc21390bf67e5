import { DEFAULT_HOST, DEFAULT_PORT } from "./address.js";
import type { OverageGuardConfig, TimeoutConfig } from "./types.js";

/** Every default the resolved config falls back to. */
export const CONFIG_DEFAULTS = {
  port: DEFAULT_PORT,
  host: DEFAULT_HOST,
  /** 32 MiB: large enough for long contexts with images, small enough to refuse abuse. */
  maxBodyBytes: 32 * 1024 * 1024,
  timeouts: {
    connectMs: 10_000,
    // Reasoning models can think for a long time before the first byte.
    firstByteMs: 120_000,
    idleMs: 120_000,
    totalMs: 600_000,
  } satisfies Required<TimeoutConfig>,
  shutdownGraceMs: 10_000,
  overageGuard: {
    enabled: true,
    behavior: "halt",
    cooldownMs: 1_800_000,
    notifyOs: true,
  } satisfies Required<OverageGuardConfig>,
  mcp: { enableActions: false },
} as const;

/** Base URL used for an `openai`/`anthropic` backend that names neither `baseUrl` nor `targets`. */
export const DEFAULT_BASE_URLS = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
} as const;
