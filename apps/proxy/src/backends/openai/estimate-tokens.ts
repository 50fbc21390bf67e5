/** Tokens assumed per image (Anthropic bills a ~1.15 MP image at about 1,600 tokens). */
const imageTokens = 1600;

/**
 * Estimates an Anthropic request's input tokens for upstreams that cannot count them:
 * about four characters per token over every string in `system`, `messages` and `tools`
 * (base64 payloads excluded), plus a flat cost per image or document.
 */
export function estimateInputTokens(body: Record<string, unknown>): number {
  let chars = 0;
  let flat = 0;
  const walk = (value: unknown, key?: string): void => {
    if (typeof value === "string") {
      if (key !== "data") chars += value.length;
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (record.type === "image" || record.type === "document") flat += imageTokens;
      for (const [k, v] of Object.entries(record)) {
        chars += k.length;
        walk(v, k);
      }
    }
  };
  walk(body.system);
  walk(body.messages);
  walk(body.tools);
  return Math.max(1, Math.ceil(chars / 4) + flat);
}
