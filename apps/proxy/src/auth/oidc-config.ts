import type { FieldChecker } from "../config/validate-fields.js";

/** Which grant an OIDC backend signs in with. */
export const OIDC_FLOWS = ["pkce", "device", "client_credentials"] as const;

/**
 * A backend's `auth` block: sign in at an OIDC issuer instead of holding an API key. The
 * client id is the one the user (or their admin) registered, never another product's.
 */
export interface OidcAuthConfig {
  type: "oidc";
  issuer: string;
  clientId: string;
  /** Confidential clients only: a literal or `env:NAME`. */
  clientSecret?: string;
  scopes?: string[];
  /** Default `pkce`. `client_credentials` needs no login: the proxy fetches its own tokens. */
  flow?: (typeof OIDC_FLOWS)[number];
}

const AUTH_KEYS = ["type", "issuer", "clientId", "clientSecret", "scopes", "flow"];

/** Checks `backends.<name>.auth`; every problem names its field. */
export function checkAuth(c: FieldChecker, value: unknown, path: string): boolean {
  if (!c.object(value, path)) return false;
  if (!c.oneOf(value.type, `${path}.type`, ["oidc"] as const)) return false;
  c.unknownKeys(value, AUTH_KEYS, path);
  c.url(value.issuer, `${path}.issuer`);
  c.string(value.clientId, `${path}.clientId`);
  c.optional(value, "clientSecret", path, (v, p) => c.secretRef(v, p));
  c.optional(value, "scopes", path, (v, p) => c.stringArray(v, p));
  c.optional(value, "flow", path, (v, p) => c.oneOf(v, p, OIDC_FLOWS));
  if (value.flow === "client_credentials" && value.clientSecret === undefined) {
    c.problem(`${path}.clientSecret`, "is required for flow client_credentials");
  }
  return true;
}
