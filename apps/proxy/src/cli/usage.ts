import { defineCommand } from "citty";
import { resolveHome, type SwitchyardEnv } from "../config/home.js";
import { parseSince, USAGE_GROUPS, type UsageGroupBy } from "../usage/aggregate.js";
import { readUsageRecords } from "../usage/read-usage.js";
import { buildUsageReport, renderUsageReport } from "../usage/report.js";
import { usageLogDir } from "../usage/usage-fs.js";
import { action, CliError } from "./action.js";

/** Options of {@link runUsage}. */
export interface RunUsageOptions {
  env: SwitchyardEnv;
  now?: number;
  since?: string;
  by?: string;
  json?: boolean;
}

/** Read the usage log under the switchyard home and render the report (text or JSON). */
export async function runUsage(options: RunUsageOptions): Promise<string> {
  const now = options.now ?? Date.now();
  let since: number | undefined;
  if (options.since !== undefined && options.since !== "") {
    since = parseSince(options.since, now);
    if (since === undefined) {
      throw new CliError(
        "usage",
        `--since must be an ISO date (2026-11-01) or a duration like 24h, 7d, 2w; got "${options.since}"`,
      );
    }
  }
  let by: UsageGroupBy | undefined;
  if (options.by !== undefined && options.by !== "") {
    if (!USAGE_GROUPS.includes(options.by as UsageGroupBy)) {
      throw new CliError(
        "usage",
        `--by must be one of ${USAGE_GROUPS.join(", ")}; got "${options.by}"`,
      );
    }
    by = options.by as UsageGroupBy;
  }
  const dir = usageLogDir(resolveHome(options.env));
  const { records, skippedLines } = await readUsageRecords({ dir });
  const report = buildUsageReport(records, { now, since, by, skippedLines });
  return options.json ? `${JSON.stringify(report, null, 2)}\n` : renderUsageReport(report);
}

/** `switchyard usage`: spend and tokens today / this week / this month, by backend, model, session. */
export const usageCommand = defineCommand({
  meta: {
    name: "usage",
    description: "Show requests, tokens and cost from the usage log (UTC periods)",
  },
  args: {
    since: {
      type: "string",
      description: "Start of the grouped window: ISO date (2026-11-01) or 24h, 7d, 2w",
    },
    by: { type: "string", description: "Group by one of: backend, model, session, day" },
    json: { type: "boolean", description: "Print JSON instead of tables", default: false },
  },
  run: action(async ({ args }) => {
    const out = await runUsage({
      env: process.env,
      since: args.since,
      by: args.by,
      json: args.json,
    });
    process.stdout.write(out);
  }),
});
