import { spawn as nodeSpawn } from "node:child_process";
import type { GuardNotification } from "@switchyard/overage-guard";

/** The subset of `child_process.spawn` the notifier uses (injectable for tests). */
export type SpawnLike = (
  command: string,
  args: readonly string[],
  options: { stdio: "ignore"; detached: boolean; windowsHide: boolean; shell: false },
) => {
  on(event: "error", listener: (error: Error) => void): unknown;
  unref(): void;
};

/** Options of {@link createDesktopNotifier}. */
export interface DesktopNotifierOptions {
  /** Also try a desktop notification (config `overageGuard.notifyOs`). Default true. */
  desktop?: boolean;
  platform?: NodeJS.Platform;
  spawn?: SpawnLike;
  /** Where the terminal bell goes. Default `process.stderr`. */
  stderr?: { write(chunk: string): unknown };
  logger?: { warn(message: string, meta?: unknown): void };
}

const TITLE_MAX = 64;
const MESSAGE_MAX = 240;

/** Strip control and bidi-override characters, collapse whitespace, cap the length. */
export function sanitizeNotificationText(text: string, max: number): string {
  const clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

/** Escape for an AppleScript string literal `"…"`. */
export function escapeAppleScript(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/** Escape for a PowerShell single-quoted literal (PowerShell also ends one on ‘ ’ ‚ ‛). */
export function escapePowerShell(text: string): string {
  return text.replace(/['\u2018\u2019\u201a\u201b]/g, "''");
}

/** The command and argument array that shows a notification on `platform`, if any. */
export function desktopCommand(
  platform: NodeJS.Platform,
  title: string,
  message: string,
): { command: string; args: string[] } | undefined {
  if (platform === "darwin") {
    const script = `display notification "${escapeAppleScript(message)}" with title "${escapeAppleScript(title)}"`;
    return { command: "osascript", args: ["-e", script] };
  }
  if (platform === "win32") {
    const script = [
      "Add-Type -AssemblyName System.Windows.Forms",
      "Add-Type -AssemblyName System.Drawing",
      "$n = New-Object System.Windows.Forms.NotifyIcon",
      "$n.Icon = [System.Drawing.SystemIcons]::Warning",
      "$n.Visible = $true",
      `$n.ShowBalloonTip(10000, '${escapePowerShell(title)}', '${escapePowerShell(message)}', 'Warning')`,
      "Start-Sleep -Seconds 10",
      "$n.Dispose()",
    ].join("; ");
    return {
      command: "powershell.exe",
      args: ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", script],
    };
  }
  if (platform === "linux" || platform === "freebsd" || platform === "openbsd") {
    // `--` ends option parsing, so a message starting with "-" stays text.
    return { command: "notify-send", args: ["--app-name=switchyard", "--", title, message] };
  }
  return undefined;
}

/**
 * The proxy's default notifier for the overage guard: a terminal bell on stderr always, plus a
 * desktop notification where one exists (notify-send, osascript, PowerShell), spawned with an
 * argument array and no shell, fire-and-forget; failures are logged, never thrown.
 */
export function createDesktopNotifier(
  options: DesktopNotifierOptions = {},
): (notification: GuardNotification) => void {
  const {
    desktop = true,
    platform = process.platform,
    spawn = nodeSpawn as unknown as SpawnLike,
    stderr = process.stderr,
    logger = console,
  } = options;
  return (notification) => {
    const title = sanitizeNotificationText(notification.title, TITLE_MAX) || "switchyard";
    const message = sanitizeNotificationText(notification.message, MESSAGE_MAX);
    try {
      stderr.write(`\u0007switchyard: ${title}: ${message}\n`);
    } catch (error) {
      logger.warn("notify: writing the terminal bell failed", error);
    }
    if (!desktop) return;
    const cmd = desktopCommand(platform, title, message);
    if (!cmd) return;
    try {
      const child = spawn(cmd.command, cmd.args, {
        stdio: "ignore",
        detached: false,
        windowsHide: true,
        shell: false,
      });
      child.on("error", (error) => logger.warn(`notify: ${cmd.command} failed`, error.message));
      child.unref();
    } catch (error) {
      logger.warn(`notify: ${cmd.command} failed`, error);
    }
  };
}
