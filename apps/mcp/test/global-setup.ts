import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Builds `dist/` once so the integration tests spawn the real bin. */
export default function setup(): void {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  execFileSync("npx", ["tsup", "--silent"], { cwd, stdio: ["ignore", "ignore", "inherit"] });
}
