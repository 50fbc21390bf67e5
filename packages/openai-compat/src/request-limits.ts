/**
 * Bounds on client-controlled request fields, as the official APIs document them (or, where
 * they document none, a cap no real request comes near). A router logs, hashes, stores or
 * echoes these strings, so an unbounded one is a memory and log-size attack.
 */
export const REQUEST_LIMITS = {
  /** `model`: model ids are short (`claude-sonnet-4-5-20250929`); 256 as Anthropic's spec caps it. */
  maxModelLength: 256,
  /** Anthropic `metadata.user_id`, OpenAI `user` and `prompt_cache_key`: opaque ids. */
  maxUserIdLength: 256,
  /** OpenAI `safety_identifier`: "a maximum length of 64 characters". */
  maxSafetyIdentifierLength: 64,
  /** OpenAI `metadata`: "Set of 16 key-value pairs". */
  maxMetadataKeys: 16,
  /** OpenAI `metadata` keys: "a maximum length of 64 characters". */
  maxMetadataKeyLength: 64,
  /** OpenAI `metadata` values: "a maximum length of 512 characters". */
  maxMetadataValueLength: 512,
  /** OpenAI function names: "a-z, A-Z, 0-9, underscores and dashes, with a maximum length of 64". */
  maxOpenAIFunctionNameLength: 64,
  /** Anthropic tool names: `^[a-zA-Z0-9_-]{1,128}$`. */
  maxAnthropicToolNameLength: 128,
  /** OpenAI `stop`: "Up to 4 sequences". */
  maxOpenAIStopSequences: 4,
  /** OpenAI `tools`: "A max of 128 functions are supported". */
  maxOpenAITools: 128,
  /**
   * Nesting of any JSON value in a request (tool schemas included). serde_json's default
   * recursion limit; real requests, Claude Code's deepest tool schemas included, stay far below.
   */
  maxJsonDepth: 128,
} as const;
