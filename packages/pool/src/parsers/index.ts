import { anthropicRateLimitParser } from "./anthropic.js";
import { openaiRateLimitParser } from "./openai.js";
import { retryAfterParser } from "./retry-after.js";
import type { RateLimitParser } from "./types.js";

/** The parsers a pool uses unless told otherwise: OpenAI/Groq, Anthropic, Retry-After. */
export const defaultParsers: readonly RateLimitParser[] = [
  openaiRateLimitParser,
  anthropicRateLimitParser,
  retryAfterParser,
];
