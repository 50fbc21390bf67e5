import { defineCommand } from "citty";
import { formatDoctorReport, runDoctor } from "../doctor/report.js";
import { action } from "./action.js";
import { configArg, jsonArg } from "./common-args.js";
import { SWITCHYARD_VERSION } from "./version.js";

/** `switchyard doctor`: one paste-ready report; exit 1 when a check failed. */
export const doctorCommand = defineCommand({
  meta: { name: "doctor", description: "Check config, backends, credentials and ports" },
  args: {
    port: {
      type: "string",
      description: "Port to check (as `switchyard proxy --port`)",
      valueHint: "port",
    },
    host: {
      type: "string",
      description: "Host to check (as `switchyard proxy --host`)",
      valueHint: "host",
    },
    ...configArg,
    ...jsonArg,
  },
  run: action(async ({ args }) => {
    const report = await runDoctor({
      version: SWITCHYARD_VERSION,
      flags: { config: args.config, port: args.port, host: args.host },
    });
    process.stdout.write(
      args.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report),
    );
    if (!report.ok) process.exitCode = 1;
  }),
});
