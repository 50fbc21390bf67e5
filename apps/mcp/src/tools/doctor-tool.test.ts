import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { createSwitchyardMcpServer } from "../server.js";

async function callDoctor(body: unknown) {
  const fetch = (async () =>
    new Response(JSON.stringify(body), { status: 200 })) as typeof globalThis.fetch;
  const server = createSwitchyardMcpServer({ fetch });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "t", version: "1" });
  await Promise.all([server.connect(a), client.connect(b)]);
  try {
    return await client.callTool({ name: "doctor", arguments: {} });
  } finally {
    await client.close();
  }
}

describe("doctor tool", () => {
  it("formats the checks when the proxy sends only the structured report", async () => {
    const report = {
      ok: false,
      checks: [
        { id: "config", status: "ok", summary: "config.json parsed" },
        {
          id: "backend:groq",
          status: "fail",
          summary: "401 from upstream",
          details: ["check the key"],
        },
      ],
    };
    const result = await callDoctor({ report });
    expect(result.structuredContent).toEqual({
      report,
      text: "✓ config: config.json parsed\n✗ backend:groq: 401 from upstream\n    check the key",
    });
  });

  it("uses the proxy's own text when it sends one, redacted", async () => {
    const result = await callDoctor({
      report: { ok: true },
      text: "key sk-live-abcdefgh1234 works",
    });
    expect((result.structuredContent as { text: string }).text).toBe("key [redacted] works");
  });
});
