import { join } from "node:path";
import { createFileTokenStore, describeTokenSet } from "@switchyard/oauth";
import { OAUTH_TOKENS_FILE } from "../auth/backend-auth.js";
import { formatSignIn } from "../cli/status-format.js";
import type { ResolvedConfig } from "../config/types.js";
import type { DoctorCheck } from "./types.js";

/**
 * One `signin:<name>` check per backend with an `auth` block: signed in and until when, or how
 * to sign in. Reads the token file for state and expiry only; never prints a token.
 */
export async function checkSignIns(config: ResolvedConfig): Promise<DoctorCheck[]> {
  const store = createFileTokenStore({ path: join(config.home, OAUTH_TOKENS_FILE) });
  const checks: DoctorCheck[] = [];
  for (const [name, backend] of Object.entries(config.backends)) {
    if ((backend.type !== "openai" && backend.type !== "anthropic") || !backend.auth) continue;
    const flow = backend.auth.flow ?? "pkce";
    const id = `signin:${name}`;
    if (flow === "client_credentials") {
      checks.push({ id, status: "ok", summary: formatSignIn(name, { flow, signedIn: false }) });
      continue;
    }
    try {
      const state = describeTokenSet(await store.get(name));
      const expired =
        state.expiresAt !== undefined &&
        Date.parse(state.expiresAt) <= Date.now() &&
        !state.refreshable;
      checks.push({
        id,
        status: state.signedIn && !expired ? "ok" : "warn",
        summary: expired
          ? `${name}: the sign-in expired (\`switchyard login ${name}\`)`
          : formatSignIn(name, { flow, ...state }),
      });
    } catch (error) {
      checks.push({ id, status: "fail", summary: `${name}: ${(error as Error).message}` });
    }
  }
  return checks;
}
