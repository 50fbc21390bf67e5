import {
  computeCost,
  createPriceTable,
  type PriceMatch,
  type PriceTable,
} from "@switchyard/overage-guard";
import shipped from "../../data/prices.json";
import type { PriceConfig } from "../config/types.js";

/** The day the shipped price table was compiled (`data/prices.json` → `date`). */
export const PRICE_TABLE_DATE: string = shipped.date;

/** Under `local: true`, what the config does not price is free. */
const LOCAL_TABLE: Record<string, unknown> = { "*": { input: 0, output: 0 } };

/** Distinct model names remembered; client-chosen names, so bounded. */
const MEMO_MAX = 512;

/**
 * The proxy's price table: `data/prices.json` (bundled into the CLI at build time) with the
 * config file's `prices` globs taking precedence over every shipped entry. Lookups are
 * memoised per model name: matching walks a few hundred globs, and every request asks twice.
 * `local: true` is the table of a local backend (echo, replay, a server on this machine): the
 * config's own prices, and every other model free, since nothing is billed for it.
 */
export function createProxyPriceTable(
  overrides: Record<string, PriceConfig> = {},
  options: { local?: boolean } = {},
): PriceTable {
  const base = options.local ? LOCAL_TABLE : (shipped.models as Record<string, unknown>);
  const table = createPriceTable(base, overrides);
  const memo = new Map<string, PriceMatch | undefined>();
  const lookup = (model: string): PriceMatch | undefined => {
    if (memo.has(model)) return memo.get(model);
    const match = table.lookup(model);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(model, match);
    return match;
  };
  return {
    lookup,
    cost(model, usage) {
      const match = lookup(model);
      return match ? computeCost(usage, match.price) : undefined;
    },
  };
}
