import { describe, expect, it } from "vitest";
import { agentBody, anthropicCapture } from "../test/har-fixture.js";
import { entryJsonBody, entryPath, parseCassette, serializeCassette } from "./cassette.js";
import { CaptureError } from "./errors.js";

describe("cassette", () => {
  it("serialises one entry a line and parses back to the same capture", () => {
    const har = anthropicCapture(agentBody());
    har.log._switchyard = { tool: "claude" };
    const text = serializeCassette(har);
    expect(text.split("\n")).toHaveLength(4);
    expect(parseCassette(text)).toEqual(har);
    const entry = har.log.entries[0];
    expect(entry && entryPath(entry)).toBe("/v1/messages");
    expect(entry && entryJsonBody(entry)?.model).toBe("claude-sonnet-4-5");
  });

  it("refuses what is not a HAR capture, naming what is wrong", () => {
    const codeOf = (text: string) => {
      try {
        parseCassette(text);
      } catch (error) {
        return CaptureError.isInstance(error) ? error.message : "other";
      }
      return "parsed";
    };
    expect(codeOf("nope")).toBe("not a HAR file: the text is not JSON");
    expect(codeOf("{}")).toBe("not a HAR file: log.entries is missing");
    expect(codeOf('{"log":{"entries":[{"request":{}}]}}')).toMatch(/log.entries\[0\] lacks/);
  });
});
