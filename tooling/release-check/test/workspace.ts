import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A publishable workspace package. */
export interface WorkspacePackage {
  dir: string;
  name: string;
  version: string;
  bin?: Record<string, string>;
  license?: string;
  files?: string[];
  exports?: Record<string, unknown>;
}

/** Every non-private package under packages/ and apps/. */
export function publishablePackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(ROOT, group)).sort()) {
      const dir = join(ROOT, group, name);
      let pkg: Omit<WorkspacePackage, "dir"> & { private?: boolean };
      try {
        pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      } catch {
        continue;
      }
      if (!pkg.private) out.push({ ...pkg, dir });
    }
  }
  return out;
}
