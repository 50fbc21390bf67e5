import { describe, expect, it } from "vitest";
import { createUsageScanner } from "./usage-scan.js";

describe("createUsageScanner", () => {
  it("reads Anthropic usage from message_start (head) and message_delta (tail) of a long stream", () => {
    const scanner = createUsageScanner();
    scanner.push(
      Buffer.from(
        'event: message_start\ndata: {"usage":{"input_tokens":12,"cache_read_input_tokens":3,"output_tokens":1}}\n\n',
      ),
    );
    for (let i = 0; i < 500; i++)
      scanner.push(Buffer.from(`data: {"delta":{"text":"chunk ${i}"}}\n\n`));
    scanner.push(Buffer.from('event: message_delta\ndata: {"usage":{"output_tokens":99}}\n\n'));
    expect(scanner.usage("anthropic")).toEqual({
      inputTokens: 12,
      outputTokens: 99,
      cacheReadTokens: 3,
    });
  });

  it("reads OpenAI usage with cached tokens moved out of input", () => {
    const scanner = createUsageScanner();
    scanner.push(
      Buffer.from(
        '{"usage":{"prompt_tokens":20,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":8}}}',
      ),
    );
    expect(scanner.usage("openai")).toEqual({
      inputTokens: 12,
      outputTokens: 5,
      cacheReadTokens: 8,
    });
  });

  it("reads the last usage object, whatever its spacing, past later `usage: null` chunks", () => {
    const scanner = createUsageScanner();
    scanner.push(Buffer.from('data: {"choices":[],"usage":null}\n\n'));
    scanner.push(
      Buffer.from('data: {"usage" : {"prompt_tokens" : 7,"completion_tokens": 4 }}\n\n'),
    );
    scanner.push(Buffer.from('data: {"choices":[{"delta":{}}],"usage": null}\n\ndata: [DONE]\n\n'));
    expect(scanner.usage("openai")).toEqual({ inputTokens: 7, outputTokens: 4 });
  });

  it("reads usage at both ends of one large body without scanning the middle", () => {
    const scanner = createUsageScanner();
    const middle = "x".repeat(200_000);
    scanner.push(
      Buffer.from(
        `{"usage":{"input_tokens":5},"pad":"${middle}","more":{"usage":{"output_tokens":6}}}`,
      ),
    );
    expect(scanner.usage("anthropic")).toEqual({ inputTokens: 5, outputTokens: 6 });
  });

  it("reads input tokens from message_start when a short stream fits in the head window", () => {
    const scanner = createUsageScanner();
    scanner.push(
      Buffer.from(
        'event: message_start\ndata: {"message":{"usage":{"input_tokens":1000,"output_tokens":1}}}\n\n' +
          'event: message_delta\ndata: {"delta":{},"usage":{"output_tokens":7}}\n\n',
      ),
    );
    expect(scanner.usage("anthropic")).toEqual({ inputTokens: 1000, outputTokens: 7 });
  });

  it("reads a one-chunk stream's cache counts from its first usage, the output from its last", () => {
    const scanner = createUsageScanner();
    scanner.push(
      Buffer.from(
        'event: message_start\ndata: {"message":{"usage":{"input_tokens":5,"cache_creation_input_tokens":40,"cache_read_input_tokens":2,"output_tokens":1}}}\n\n' +
          'event: message_delta\ndata: {"delta":{},"usage":{"output_tokens":7}}\n\n',
      ),
    );
    expect(scanner.usage("anthropic")).toEqual({
      inputTokens: 5,
      outputTokens: 7,
      cacheReadTokens: 2,
      cacheWriteTokens: 40,
    });
  });

  it("reports nothing when there is no usage", () => {
    const scanner = createUsageScanner();
    scanner.push(Buffer.from("data: [DONE]\n\n"));
    expect(scanner.usage("openai")).toBeUndefined();
  });
});
