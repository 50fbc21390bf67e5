import { createPriceTable, type PriceTable } from "@switchyard/overage-guard";
import shipped from "../../data/prices.json";
import type { PriceConfig } from "../config/types.js";

/** The day the shipped price table was compiled (`data/prices.json` → `date`). */
export const PRICE_TABLE_DATE: string = shipped.date;

/**
 * The proxy's price table: `data/prices.json` (bundled into the CLI at build time) with the
 * config file's `prices` globs taking precedence over every shipped entry.
 */
export function createProxyPriceTable(overrides: Record<string, PriceConfig> = {}): PriceTable {
  return createPriceTable(shipped.models as Record<string, unknown>, overrides);
}
