import { ProxyError } from "../../server/proxy-error.js";
import { readAll } from "./relay.js";
import type { UpstreamResponse } from "./upstream.js";

/** Reads and parses a JSON upstream body; a body that is not JSON is a 502 that echoes nothing of it. */
export async function readJson(response: UpstreamResponse, backend: string): Promise<unknown> {
  const body = await readAll(response);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new ProxyError(
      "upstream_bad_response",
      `upstream ${backend} answered with a body that is not valid JSON`,
    );
  }
}
