import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { addBackend } from "../cli/backend-add.js";

let home: string | undefined;
afterEach(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

const add = async (extra: Record<string, string>) => {
  home = await mkdtemp(join(tmpdir(), "sy-azure-"));
  const configPath = join(home, "config.json");
  const lines = await addBackend({
    home,
    configPath,
    env: {},
    name: "azure",
    preset: "azure-openai",
    baseUrl: "https://my-resource.openai.azure.com/openai/v1",
    ...extra,
  });
  const config = JSON.parse(await readFile(configPath, "utf8")) as {
    backends: Record<string, Record<string, unknown>>;
  };
  return { lines, backend: config.backends.azure! };
};

describe("the azure-openai preset (Entra ID sign-in)", () => {
  it("writes an OIDC auth block with the tenant's issuer and the Cognitive Services scope", async () => {
    const { lines, backend } = await add({ tenant: "contoso-tenant-id", clientId: "app-123" });
    expect(backend).toEqual({
      type: "openai",
      baseUrl: "https://my-resource.openai.azure.com/openai/v1",
      auth: {
        type: "oidc",
        issuer: "https://login.microsoftonline.com/contoso-tenant-id/v2.0",
        clientId: "app-123",
        scopes: ["https://cognitiveservices.azure.com/.default", "offline_access"],
        flow: "device",
      },
    });
    expect(lines[0]).toContain("sign in with `switchyard login azure`");
  });

  it("client credentials: secret by variable, .default scope only", async () => {
    const { backend } = await add({
      tenant: "t1",
      clientId: "app-1",
      flow: "client_credentials",
      clientSecretEnv: "AZURE_CLIENT_SECRET",
    });
    expect(backend.auth).toMatchObject({
      clientSecret: "env:AZURE_CLIENT_SECRET",
      scopes: ["https://cognitiveservices.azure.com/.default"],
      flow: "client_credentials",
    });
  });

  it("needs the user's own tenant and client id", async () => {
    await expect(add({ tenant: "t1" })).rejects.toThrow(/--tenant .* --client-id/);
  });
});
