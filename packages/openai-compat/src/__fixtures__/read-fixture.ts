import { createSseDecoder, type SseMessage } from "../sse.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Reads `<name>.chunks.txt` beside this file: the recorded network chunks, in order. */
export function readFixtureChunks(name: string): string[] {
  const path = fileURLToPath(new URL(`./${name}.chunks.txt`, import.meta.url));
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as string);
}

/** The whole recorded body of fixture `name` as UTF-8 bytes. */
export function readFixtureBytes(name: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(readFixtureChunks(name).join(""));
}

/** Every fixture name, by API. */
export const FIXTURES = {
  anthropic: ["text", "tool-call", "parallel-tool-calls", "thinking", "usage", "error"],
  openai: [
    "text",
    "tool-call",
    "parallel-tool-calls",
    "interleaved-tool-calls",
    "gemini-tool-calls",
    "reasoning",
    "usage",
    "error",
    "truncated",
  ],
  responses: ["tool-call", "failed"],
} as const;

/** The SSE messages of fixture `name`, decoded with the package's own decoder. */
export function readFixtureMessages(name: string): SseMessage[] {
  const decoder = createSseDecoder();
  const messages = readFixtureChunks(name).flatMap((chunk) => decoder.push(chunk));
  return [...messages, ...decoder.end()];
}
