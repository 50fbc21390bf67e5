import { spawn } from "node:child_process";

/**
 * Opens `url` in the user's browser with the platform's opener (`open`, `xdg-open`,
 * `cmd /c start`). Resolves once the opener started; rejects when there is none (the URL is
 * printed anyway).
 */
export function openBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  const [command, args] =
    platform === "darwin"
      ? ["open", [url]]
      : platform === "win32"
        ? ["cmd", ["/c", "start", "", url.replace(/&/g, "^&")]]
        : ["xdg-open", [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args as string[], { stdio: "ignore", detached: true });
    child.once("error", reject);
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
