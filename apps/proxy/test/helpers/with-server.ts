import type { ResolvedConfig } from "../../src/config/types.js";
import { startServer } from "../../src/server/index.js";

/** Runs `fn` against a server started in-process with `config` (recording to `capture`), then closes it. */
export async function withServer<T>(
  config: ResolvedConfig,
  fn: (url: string) => Promise<T>,
  capture?: Parameters<typeof startServer>[0]["capture"],
): Promise<T> {
  const server = await startServer({
    config,
    version: "0.0.0-test",
    ...(capture ? { capture } : {}),
  });
  try {
    return await fn(server.url);
  } finally {
    await server.close(100);
  }
}
