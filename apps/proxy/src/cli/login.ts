import { createInterface } from "node:readline";
import { defineCommand } from "citty";
import { createBackendOAuthClient } from "../auth/backend-auth.js";
import { openBrowser } from "../auth/open-browser.js";
import { loginOpenRouter } from "../auth/openrouter-login.js";
import { createCredentialStore } from "../config/credentials.js";
import { loadConfig } from "../config/load.js";
import type { BackendConfig } from "../config/types.js";
import { action, CliError } from "./action.js";
import { configArg } from "./common-args.js";

/** Reads one pasted line from stdin (the redirect URL or the code), prompting on stderr. */
async function readPasted(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write(prompt);
  const line = await new Promise<string>((resolve) => {
    rl.once("line", resolve);
    rl.once("close", () => resolve(""));
  });
  rl.close();
  return line;
}

/** True for a backend that signs in with OpenRouter's PKCE key flow (no `auth` block). */
export function isOpenRouterBackend(name: string, backend: BackendConfig): boolean {
  if (backend.type !== "openai" || backend.auth !== undefined) return false;
  if (name === "openrouter") return true;
  try {
    return new URL(backend.baseUrl ?? "").hostname.endsWith("openrouter.ai");
  } catch {
    return false;
  }
}

/** Finds `name` in the config, with its secrets resolved, or says how to add it. */
export async function findBackend(name: string, config?: string) {
  const resolved = await loadConfig({ flags: { config }, env: process.env });
  const backend = resolved.backends[name];
  if (backend === undefined || name === "echo") {
    throw new CliError(
      "usage",
      `no backend named ${name} in ${resolved.configPath}; add it first (\`switchyard backend add ${name} …\`)`,
    );
  }
  const why = resolved.unavailableBackends?.[name];
  if (why !== undefined) throw new CliError("failed", why);
  return { resolved, backend };
}

const say = (line: string) => process.stderr.write(`${line}\n`);

export const loginCommand = defineCommand({
  meta: {
    name: "login",
    description: "Sign in to a backend: OpenRouter (PKCE, stores a key) or an OIDC `auth` block",
  },
  args: {
    backend: { type: "positional", required: true, description: "Backend name" },
    manual: {
      type: "boolean",
      description: "No browser here (SSH): print the URL, then paste the address you land on",
    },
    browser: {
      type: "boolean",
      default: true,
      description: "Open the browser (--no-browser only prints the URL)",
    },
    ...configArg,
  },
  run: action(async ({ args }) => {
    const name = args.backend;
    const { resolved, backend } = await findBackend(name, args.config);
    const open = args.browser && !args.manual ? openBrowser : undefined;
    const manualPrompt = async (url: string) => {
      say(`Open this URL in a browser, sign in, then paste the address it lands on:\n\n  ${url}\n`);
      return readPasted("redirect URL or code: ");
    };

    if (backend.type === "openai" && isOpenRouterBackend(name, backend)) {
      const key = await loginOpenRouter({
        baseUrl: backend.baseUrl ?? "https://openrouter.ai/api/v1",
        onUrl: (url) => say(`Sign in to OpenRouter in your browser:\n\n  ${url}\n`),
        ...(open === undefined ? {} : { openBrowser: open }),
        ...(args.manual ? { manual: { prompt: manualPrompt } } : {}),
      });
      const store = createCredentialStore({ home: resolved.home });
      await store.set(name, key);
      const ref = resolved.keySources?.[`backends.${name}.apiKey`];
      process.stdout.write(`signed in: backend ${name} now uses a key in the credential store\n`);
      if (ref !== undefined && ref !== "stored" && ref !== "none") {
        say(
          `warning: backend ${name} has "apiKey": "${ref}" in its config, which wins over the stored key; remove it to use the new key`,
        );
      }
      return;
    }

    if ((backend.type !== "openai" && backend.type !== "anthropic") || backend.auth === undefined) {
      throw new CliError(
        "usage",
        `backend ${name} has no sign-in: add an "auth" block ({"type":"oidc","issuer":…,"clientId":…}) or use an API key`,
      );
    }
    const auth = backend.auth;
    const flow = auth.flow ?? "pkce";
    const client = createBackendOAuthClient({
      name,
      auth,
      home: resolved.home,
      ...(open === undefined ? {} : { openBrowser: open }),
    });
    let status: Awaited<ReturnType<typeof client.status>>;
    if (flow === "client_credentials") {
      await client.accessToken(); // proves the client id and secret work
      process.stdout.write(
        `backend ${name} uses client credentials: no login needed, the proxy fetches its own tokens (checked: the issuer issued one)\n`,
      );
      return;
    }
    if (flow === "device") {
      status = await client.loginWithDevice({
        onUserCode: ({ userCode, verificationUri, verificationUriComplete }) =>
          say(
            `To sign in, open ${verificationUri} and enter the code ${userCode}${verificationUriComplete ? `\n(or open ${verificationUriComplete})` : ""}`,
          ),
      });
    } else if (args.manual) {
      status = await client.loginManually({ prompt: manualPrompt });
    } else {
      status = await client.loginWithLoopback({
        onUrl: (url) => say(`Sign in in your browser (opening it if there is one):\n\n  ${url}\n`),
      });
    }
    process.stdout.write(
      `signed in: backend ${name}${status.expiresAt ? `, token valid until ${status.expiresAt}` : ""}${status.refreshable ? ", renewed automatically" : ""}\n`,
    );
  }),
});

export const logoutCommand = defineCommand({
  meta: {
    name: "logout",
    description: "Sign out of a backend (revokes at the issuer where supported)",
  },
  args: {
    backend: { type: "positional", required: true, description: "Backend name" },
    ...configArg,
  },
  run: action(async ({ args }) => {
    const name = args.backend;
    const { resolved, backend } = await findBackend(name, args.config);
    if ((backend.type === "openai" || backend.type === "anthropic") && backend.auth !== undefined) {
      const client = createBackendOAuthClient({ name, auth: backend.auth, home: resolved.home });
      const { revoked, hadTokens } = await client.logout();
      process.stdout.write(
        !hadTokens
          ? `backend ${name} was not signed in\n`
          : revoked
            ? `signed out of ${name}: revoked at the issuer and deleted here\n`
            : `signed out of ${name}: deleted here (the issuer offers no revocation for these tokens)\n`,
      );
      return;
    }
    const store = createCredentialStore({ home: resolved.home });
    const removed = await store.delete(name);
    process.stdout.write(
      removed
        ? `removed the stored key of ${name}${isOpenRouterBackend(name, backend) ? " (it stays valid at OpenRouter until you delete it in your OpenRouter key settings)" : ""}\n`
        : `backend ${name} has no stored key\n`,
    );
  }),
});
