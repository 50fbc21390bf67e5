import { describe, expect, it } from "vitest";
import type { ResponseWriter } from "../cli-runner/response-writer.js";
import type { ClaudeCliEvent } from "./cli-events.js";
import { consumeRun } from "./consume-run.js";

async function* events(list: ClaudeCliEvent[]) {
  for (const event of list) yield event;
}

describe("consumeRun", () => {
  it("keeps the status of the CLI's last retried API error", async () => {
    const writer = { push: async () => {} } as unknown as ResponseWriter;
    const run = await consumeRun(
      events([
        { type: "system", subtype: "init", session_id: "s1" },
        { type: "system", subtype: "api_retry", attempt: 1, error_status: 500 },
        { type: "system", subtype: "api_retry", attempt: 2, error_status: 529 },
      ] as ClaudeCliEvent[]),
      writer,
      () => {},
    );
    expect(run).toMatchObject({ initSessionId: "s1", lastRetryStatus: 529 });
  });
});
