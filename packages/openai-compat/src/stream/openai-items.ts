import type { OpenAIChunkChoice, OpenAIErrorBody } from "../types/openai.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";

/** An in-stream error object (`{"error":{...}}`) rather than a chunk. */
export function isErrorItem(item: OpenAIStreamItem): item is OpenAIErrorBody {
  const error = (item as { error?: unknown }).error;
  return typeof error === "object" && error !== null;
}

/** The choice with index 0; other choices (`n > 1`) have no place in one Anthropic message. */
export function firstChoice(
  choices: OpenAIChunkChoice[] | null | undefined,
): OpenAIChunkChoice | undefined {
  if (!choices) return undefined;
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i] as OpenAIChunkChoice;
    if ((choice.index ?? 0) === 0) return choice;
  }
  return undefined;
}

/** A random id with `prefix`, e.g. `toolu_…`. */
export function randomId(prefix: string): string {
  return `${prefix}${crypto.randomUUID().replaceAll("-", "")}`;
}
