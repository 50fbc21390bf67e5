import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** One built dashboard file, held in memory (the whole bundle is a few hundred KB). */
export interface UiAsset {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * Where the build put the dashboard: `dist/ui` beside the bundled CLI, or (running from
 * source, as the tests do) `apps/proxy/dist/ui`.
 */
const CANDIDATES = [new URL("./ui/", import.meta.url), new URL("../../dist/ui/", import.meta.url)];

/**
 * Reads the built dashboard (`.js`, `.css`, `.svg` files) once, at start; an empty map when it
 * was not built (then `/ui` says so).
 */
export async function loadUiAssets(dir?: string): Promise<Map<string, UiAsset>> {
  const dirs = dir === undefined ? CANDIDATES.map((u) => fileURLToPath(u)) : [dir];
  for (const candidate of dirs) {
    let names: string[];
    try {
      names = await readdir(candidate);
    } catch {
      continue;
    }
    const out = new Map<string, UiAsset>();
    for (const name of names) {
      const type = TYPES[name.slice(name.lastIndexOf("."))];
      if (type === undefined) continue;
      const body = await readFile(`${candidate}${name}`);
      const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
      out.set(name, { body, type, etag });
    }
    if (out.has("app.js")) return out;
  }
  return new Map();
}
