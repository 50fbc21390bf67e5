import type { OidcAuthConfig } from "../auth/oidc-config.js";

/** What a sign-in preset needs from the user (their own tenant and registered client). */
export interface PresetAuthInput {
  tenant: string;
  clientId: string;
  flow: NonNullable<OidcAuthConfig["flow"]>;
  /** `env:NAME` of the client secret (client credentials). */
  clientSecret?: string;
}

/** Entra ID (Azure AD) v2 issuer of a tenant. */
export const entraIssuer = (tenant: string) =>
  `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/v2.0`;

/** The Entra ID scope of Azure OpenAI / Azure AI services. */
export const AZURE_COGNITIVE_SCOPE = "https://cognitiveservices.azure.com/.default";

/**
 * The `auth` block of an Azure OpenAI backend signed in with Entra ID: the user's tenant and
 * the client they registered. User flows add `offline_access` so the proxy can renew tokens.
 */
export function azureOpenAIAuth(input: PresetAuthInput): OidcAuthConfig {
  const user = input.flow !== "client_credentials";
  return {
    type: "oidc",
    issuer: entraIssuer(input.tenant),
    clientId: input.clientId,
    ...(input.clientSecret === undefined ? {} : { clientSecret: input.clientSecret }),
    scopes: user ? [AZURE_COGNITIVE_SCOPE, "offline_access"] : [AZURE_COGNITIVE_SCOPE],
    flow: input.flow,
  };
}

/** A known provider: `switchyard backend add groq` fills type, base URL and key variable from it. */
export interface BackendPreset {
  name: string;
  type: "openai" | "anthropic" | "claude-code";
  baseUrl?: string;
  /** The variable the provider's own tools read the key from. */
  keyEnv?: string;
  /** False for local servers that take no key. */
  needsKey: boolean;
  description: string;
  /**
   * Model-name globs that `backend add` routes to the new backend (the provider's own model
   * families, as the no-config mode routes them).
   */
  routes?: readonly string[];
  /** Sign in instead of a key: builds the backend's `auth` block. */
  auth?: (input: PresetAuthInput) => OidcAuthConfig;
  /** What `--base-url` looks like when the preset cannot know it. */
  baseUrlHint?: string;
}

/**
 * OpenAI's model families by name (`gpt-*`, the `o1`/`o3`/`o4` reasoning models,
 * `chatgpt-*`): a looser `o*` would send local models such as `olmo` or `orca` to a paid API.
 */
export const OPENAI_MODEL_ROUTES = ["gpt-*", "o1*", "o3*", "o4*", "chatgpt-*"] as const;

/** Anthropic's model family by name. */
export const ANTHROPIC_MODEL_ROUTES = ["claude-*"] as const;

/** Built-in presets by name. */
export const BACKEND_PRESETS: Readonly<Record<string, BackendPreset>> = {
  openai: {
    name: "openai",
    type: "openai",
    baseUrl: "https://api.openai.com/v1",
    keyEnv: "OPENAI_API_KEY",
    needsKey: true,
    description: "OpenAI",
    routes: OPENAI_MODEL_ROUTES,
  },
  anthropic: {
    name: "anthropic",
    type: "anthropic",
    baseUrl: "https://api.anthropic.com",
    keyEnv: "ANTHROPIC_API_KEY",
    needsKey: true,
    description: "Anthropic",
    routes: ANTHROPIC_MODEL_ROUTES,
  },
  groq: {
    name: "groq",
    type: "openai",
    baseUrl: "https://api.groq.com/openai/v1",
    keyEnv: "GROQ_API_KEY",
    needsKey: true,
    description: "Groq (OpenAI-compatible)",
  },
  openrouter: {
    name: "openrouter",
    type: "openai",
    baseUrl: "https://openrouter.ai/api/v1",
    keyEnv: "OPENROUTER_API_KEY",
    needsKey: true,
    description: "OpenRouter (OpenAI-compatible)",
  },
  deepseek: {
    name: "deepseek",
    type: "openai",
    baseUrl: "https://api.deepseek.com/v1",
    keyEnv: "DEEPSEEK_API_KEY",
    needsKey: true,
    description: "DeepSeek (OpenAI-compatible)",
  },
  ollama: {
    name: "ollama",
    type: "openai",
    baseUrl: "http://127.0.0.1:11434/v1",
    needsKey: false,
    description: "Ollama on this machine (no key)",
  },
  vllm: {
    name: "vllm",
    type: "openai",
    baseUrl: "http://127.0.0.1:8000/v1",
    needsKey: false,
    description: "vLLM on this machine (no key)",
  },
  "azure-openai": {
    name: "azure-openai",
    type: "openai",
    needsKey: false,
    description: "Azure OpenAI signed in with Entra ID (--tenant, --client-id; no key)",
    auth: azureOpenAIAuth,
    baseUrlHint: "https://<resource>.openai.azure.com/openai/v1",
  },
  "claude-code": {
    name: "claude-code",
    type: "claude-code",
    needsKey: false,
    description: "the official Claude Code CLI as a subprocess (uses its own login)",
  },
};

/** Names that imply a preset without `--preset` (`switchyard backend add claude`). */
const PRESET_ALIASES: Readonly<Record<string, string>> = { claude: "claude-code" };

/** The preset named `name` (or aliased by it), if any. */
export function findPreset(name: string): BackendPreset | undefined {
  const key = name.toLowerCase();
  return BACKEND_PRESETS[PRESET_ALIASES[key] ?? key];
}
