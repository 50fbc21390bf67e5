import { ProxyError } from "../../server/proxy-error.js";
import { isErrorValue } from "./redact-upstream.js";
import { readAll } from "./relay.js";
import type { UpstreamResponse } from "./upstream.js";
import { upstreamErrorFromText } from "./upstream-error.js";

/**
 * Reads and parses a JSON upstream body; a body that is not JSON is a 502 that echoes nothing of
 * it. With `upstream` (its protocol and the backend's secrets), a 2xx body that is an error
 * object (some OpenAI-compatible servers send those) is that upstream error, its message
 * redacted (a 502), instead of an answer the translation cannot read.
 */
export async function readJson(
  response: UpstreamResponse,
  backend: string,
  upstream?: { dialect: "anthropic" | "openai"; secrets: readonly string[] },
): Promise<unknown> {
  const body = await readAll(response);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ProxyError(
      "upstream_bad_response",
      `upstream ${backend} answered with a body that is not valid JSON`,
    );
  }
  if (upstream !== undefined && isErrorValue(parsed)) {
    throw upstreamErrorFromText({ response, text: body.toString("utf8"), backend, ...upstream });
  }
  return parsed;
}
