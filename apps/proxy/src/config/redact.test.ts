import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "./load.js";
import { collectSecrets, maskUrlSecrets, redactConfig, urlSecrets } from "./redact.js";

describe("maskUrlSecrets", () => {
  it.each([
    // A token as the userinfo name (`https://TOKEN@host`, as GitHub takes it).
    ["http://LEAKCANARYuser55@127.0.0.1:18801/v1", "http://[redacted]@127.0.0.1:18801/v1"],
    ["http://user:pass-LEAKCANARY@127.0.0.1:1/v1", "http://[redacted]@127.0.0.1:1/v1"],
    ["http://:pass-LEAKCANARY@127.0.0.1:1/v1", "http://[redacted]@127.0.0.1:1/v1"],
    // Azure Functions keys: `?code=`.
    [
      "https://fn.azurewebsites.net/api/chat?code=LEAKCANARY77&region=eu",
      "https://fn.azurewebsites.net/api/chat?code=[redacted]&region=eu",
    ],
    [
      "https://h/v1?api-version=2024&api_key=LEAKCANARY1",
      "https://h/v1?api-version=2024&api_key=[redacted]",
    ],
  ])("%s", (url, masked) => {
    expect(maskUrlSecrets(url)).toBe(masked);
  });

  it("leaves a URL without credentials as written", () => {
    for (const url of [
      "https://api.openai.com/v1",
      "http://127.0.0.1:8000/v1/",
      "https://h/v1?api-version=2024&country_code=us&code_challenge_method=S256",
      "not a url",
    ]) {
      expect(maskUrlSecrets(url)).toBe(url);
    }
  });
});

describe("urlSecrets", () => {
  it("holds the userinfo password (or a name that stands alone) and credential-like query values", () => {
    expect(urlSecrets("http://LEAKCANARYuser55@127.0.0.1:18801/v1")).toContain("LEAKCANARYuser55");
    const secrets = urlSecrets("https://u%40x:p%2Fw@h/api?code=LEAKCANARY77&region=eu");
    for (const secret of ["p%2Fw", "p/w", "LEAKCANARY77"]) expect(secrets).toContain(secret);
    // A user name beside a password is no secret: "user" must not vanish from every error.
    expect(secrets).not.toContain("u@x");
    expect(secrets).not.toContain("eu");
  });

  it("still returns what it can when the userinfo is not valid percent-encoding", () => {
    expect(urlSecrets("https://a%E0b@h/?key=LEAKCANARY5")).toEqual(
      expect.arrayContaining(["a%E0b", "LEAKCANARY5"]),
    );
  });
});

describe("redactConfig and collectSecrets with credentials in URLs", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "sy-redact-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("shows no userinfo name or ?code= value anywhere, and collects them for scrubbing", async () => {
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        backends: {
          ui: { type: "openai", baseUrl: "http://LEAKCANARYuser55@127.0.0.1:18801/v1" },
          fn: {
            type: "openai",
            targets: [{ baseUrl: "https://fn.example/api?code=LEAKCANARYcode1" }],
          },
          gw: {
            type: "openai",
            baseUrl: "https://gw.example/v1",
            auth: {
              type: "oidc",
              issuer: "https://LEAKCANARYissuer1@login.example/tenant",
              clientId: "c",
            },
          },
        },
      }),
    );
    const config = await loadConfig({ env: { SWITCHYARD_HOME: home }, resolveSecrets: false });
    const redacted = redactConfig(config);
    expect(JSON.stringify(redacted)).not.toContain("LEAKCANARY");
    expect(redacted.backends.ui?.baseUrl).toBe("http://[redacted]@127.0.0.1:18801/v1");
    const targets = redacted.backends.fn?.targets as Array<{ baseUrl: string }> | undefined;
    expect(targets?.[0]?.baseUrl).toBe("https://fn.example/api?code=[redacted]");
    expect(collectSecrets(config)).toEqual(
      expect.arrayContaining(["LEAKCANARYuser55", "LEAKCANARYcode1", "LEAKCANARYissuer1"]),
    );
  });
});
