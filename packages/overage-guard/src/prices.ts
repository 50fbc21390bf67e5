import { OverageGuardError } from "./errors.js";
import { compileGlob, globSpecificity, isLiteralGlob } from "./internal/glob.js";

/** USD per million tokens (the same shape as the proxy config's `prices`). */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cache-read (prompt-cache hit) price; defaults to `input` when absent. */
  cacheRead?: number;
  /** Cache-write (prompt-cache creation) price; defaults to 1.25 × `input` when absent. */
  cacheWrite?: number;
}

/** Token counts of one request. `inputTokens` is the UNCACHED input only. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** A matched price and the pattern it came from. */
export interface PriceMatch {
  pattern: string;
  price: ModelPrice;
  source: "override" | "table";
}

/** Model-name → price lookup built by {@link createPriceTable}. */
export interface PriceTable {
  /** The price for `model`, or `undefined` when no pattern matches. */
  lookup(model: string): PriceMatch | undefined;
  /** Cost in USD of `usage` on `model`, or `undefined` when the model has no price. */
  cost(model: string, usage: TokenUsage): number | undefined;
}

interface CompiledEntry {
  pattern: string;
  regex: RegExp;
  literal: boolean;
  specificity: number;
  order: number;
  /** Undefined for an `{ "unknown": true }` marker: the price is known to be unknown. */
  price: ModelPrice | undefined;
}

function isUnknownMarker(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && (value as { unknown?: unknown }).unknown === true
  );
}

function isPrice(value: unknown): value is ModelPrice {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.input === "number" && typeof v.output === "number";
}

function validate(pattern: string, price: ModelPrice): ModelPrice {
  for (const key of ["input", "output", "cacheRead", "cacheWrite"] as const) {
    const n = price[key];
    if (n !== undefined && (!Number.isFinite(n) || n < 0)) {
      throw new OverageGuardError(
        "invalid_price",
        `price for "${pattern}": ${key} must be a non-negative number of USD per million tokens`,
      );
    }
  }
  const out: ModelPrice = { input: price.input, output: price.output };
  if (price.cacheRead !== undefined) out.cacheRead = price.cacheRead;
  if (price.cacheWrite !== undefined) out.cacheWrite = price.cacheWrite;
  return out;
}

function compile(entries: Record<string, unknown>): CompiledEntry[] {
  const compiled: CompiledEntry[] = [];
  let order = 0;
  for (const [pattern, value] of Object.entries(entries)) {
    const unknown = isUnknownMarker(value);
    if (!unknown && !isPrice(value)) {
      throw new OverageGuardError(
        "invalid_price",
        `price for "${pattern}" needs numeric input and output (USD per million tokens), or { "unknown": true }`,
      );
    }
    compiled.push({
      pattern,
      regex: compileGlob(pattern),
      literal: isLiteralGlob(pattern),
      specificity: globSpecificity(pattern),
      order: order++,
      price: unknown ? undefined : validate(pattern, value as ModelPrice),
    });
  }
  // Exact names first, then more literal characters, then file order.
  return compiled.sort(
    (a, b) =>
      Number(b.literal) - Number(a.literal) || b.specificity - a.specificity || a.order - b.order,
  );
}

function find(list: CompiledEntry[], model: string): CompiledEntry | undefined {
  return list.find((entry) => entry.regex.test(model));
}

/**
 * Build a price lookup. Matching is case-insensitive; among matching patterns an exact name
 * wins, then the pattern with the most literal characters ("longest match"), then the one
 * listed first. Every override is consulted before any base entry, so a config glob always
 * beats the shipped table. A `{ "unknown": true }` entry is a marker: when it wins, the model
 * has no price (a broader glob does not apply). Anything else without numeric `input`/`output`
 * is an `invalid_price` error.
 *
 * @example
 * const prices = createPriceTable({ "claude-sonnet-4*": { input: 3, output: 15 } });
 * prices.cost("claude-sonnet-4-5", { inputTokens: 1000, outputTokens: 500 }); // 0.0105
 */
export function createPriceTable(
  entries: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): PriceTable {
  const base = compile(entries);
  const over = compile(overrides);
  const lookup = (model: string): PriceMatch | undefined => {
    const o = find(over, model);
    if (o) return o.price ? { pattern: o.pattern, price: o.price, source: "override" } : undefined;
    const b = find(base, model);
    if (b?.price) return { pattern: b.pattern, price: b.price, source: "table" };
    return undefined;
  };
  return {
    lookup,
    cost(model, usage) {
      const match = lookup(model);
      return match ? computeCost(usage, match.price) : undefined;
    },
  };
}

function count(n: number | undefined): number {
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Cache-write price as a multiple of the input price when a table gives none: Anthropic's
 * 5-minute cache write (the only provider that reports cache writes; 1-hour writes cost 2×).
 */
const CACHE_WRITE_FACTOR = 1.25;

/**
 * USD cost of `usage` at `price`. `inputTokens` must exclude cache reads/writes (Anthropic
 * reports it that way; for OpenAI subtract `cached_tokens` from `prompt_tokens`). A missing
 * `cacheRead` price falls back to the input price (reads are never dearer than input), a
 * missing `cacheWrite` to 1.25 × input (Anthropic's 5-minute write; set `cacheWrite` for
 * 1-hour caches, which cost 2×).
 */
export function computeCost(usage: TokenUsage, price: ModelPrice): number {
  const micro =
    count(usage.inputTokens) * price.input +
    count(usage.outputTokens) * price.output +
    count(usage.cacheReadTokens) * (price.cacheRead ?? price.input) +
    count(usage.cacheWriteTokens) * (price.cacheWrite ?? price.input * CACHE_WRITE_FACTOR);
  return micro / 1_000_000;
}
