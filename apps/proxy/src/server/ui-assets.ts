import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** One built dashboard file, held in memory (the whole bundle is a few hundred KB). */
export interface UiAsset {
  body: Buffer;
  type: string;
  etag: string;
  /**
   * True when the name changes whenever the content does (`app.<hash>.js`, esbuild's
   * `chunk-<hash>.js`): served `immutable`, so a warm page load asks the proxy for nothing
   * but the page itself. The plain names (`app.js`) are revalidated on every use.
   */
  immutable: boolean;
}

/** The dashboard files: by name, plus the hashed names the page links to. */
export interface UiAssets extends ReadonlyMap<string, UiAsset> {
  /** The page's script and stylesheet under their content-hashed names (`app.<hash>.js`). */
  readonly entry?: { script: string; style: string };
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** esbuild's name for a code-split chunk (content hash in the name). */
const CHUNK = /^chunk-[A-Za-z0-9]{8,}\.js$/;

/**
 * Where the build put the dashboard: `dist/ui` beside the bundled CLI, or (running from
 * source, as the tests do) `apps/proxy/dist/ui`.
 */
const CANDIDATES = [new URL("./ui/", import.meta.url), new URL("../../dist/ui/", import.meta.url)];

/** `app.js` → `app.<hash>.js`. */
const hashedName = (name: string, hash: string) => {
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
};

/**
 * Reads the built dashboard (`.js`, `.css`, `.svg` files) once, at start; an empty map when it
 * was not built (then `/ui` says so). `app.js` and `app.css` are also served under
 * content-hashed names (see {@link UiAssets.entry}).
 */
export async function loadUiAssets(dir?: string): Promise<UiAssets> {
  const dirs = dir === undefined ? CANDIDATES.map((u) => fileURLToPath(u)) : [dir];
  for (const candidate of dirs) {
    let names: string[];
    try {
      names = await readdir(candidate);
    } catch {
      continue;
    }
    const out = new Map<string, UiAsset>();
    const hashed = new Map<string, string>();
    for (const name of names) {
      const type = TYPES[name.slice(name.lastIndexOf("."))];
      if (type === undefined) continue;
      const body = await readFile(`${candidate}${name}`);
      const hash = createHash("sha256").update(body).digest("hex").slice(0, 16);
      const etag = `"${hash}"`;
      out.set(name, { body, type, etag, immutable: CHUNK.test(name) });
      if (name === "app.js" || name === "app.css") {
        const alias = hashedName(name, hash);
        hashed.set(name, alias);
        out.set(alias, { body, type, etag, immutable: true });
      }
    }
    const script = hashed.get("app.js");
    const style = hashed.get("app.css");
    if (script === undefined) continue;
    return Object.assign(out, {
      entry: { script, style: style ?? "app.css" },
    });
  }
  return new Map();
}
