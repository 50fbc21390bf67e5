import type { BackendAuthStatus } from "../auth/backend-auth.js";
import type { Backend } from "../backends/types.js";

/** The `/status` view of every signed-in backend: flow, signed-in state, expiry; never a token. */
export async function authStatus(
  backends: ReadonlyMap<string, Backend>,
): Promise<Record<string, BackendAuthStatus>> {
  const out: Record<string, BackendAuthStatus> = {};
  await Promise.all(
    [...backends].map(async ([name, backend]) => {
      if (backend.authStatus === undefined) return;
      try {
        out[name] = await backend.authStatus();
      } catch {
        // An unreadable token file must not take `/status` down; the backend says why on use.
      }
    }),
  );
  return out;
}
