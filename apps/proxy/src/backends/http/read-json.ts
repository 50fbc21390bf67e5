import { ProxyError } from "../../server/proxy-error.js";
import type { UpstreamResponse } from "./upstream.js";

/** Reads and parses a JSON upstream body; a body that is not JSON is a 502 that echoes nothing of it. */
export async function readJson(response: UpstreamResponse, backend: string): Promise<unknown> {
  let body: Buffer;
  try {
    body = await response.body.bytes();
  } catch (error) {
    throw response.mapError(error);
  }
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new ProxyError(
      "upstream_bad_response",
      `upstream ${backend} answered with a body that is not valid JSON`,
    );
  }
}
