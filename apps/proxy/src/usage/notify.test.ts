import { describe, expect, it, vi } from "vitest";
import {
  createDesktopNotifier,
  desktopCommand,
  escapeAppleScript,
  escapePowerShell,
  type SpawnLike,
  sanitizeNotificationText,
} from "./notify.js";

function fakeSpawn(fail?: "throw" | "error") {
  const calls: { command: string; args: readonly string[]; options: unknown }[] = [];
  let onError: ((e: Error) => void) | undefined;
  const spawn: SpawnLike = (command, args, options) => {
    if (fail === "throw") throw new Error("spawn EPERM");
    calls.push({ command, args, options });
    return {
      on: (_event, listener) => {
        onError = listener;
      },
      unref: () => {},
    };
  };
  return { spawn, calls, emitError: (e: Error) => onError?.(e) };
}

describe("sanitisation and escaping", () => {
  it("strips control and bidi characters and caps length", () => {
    expect(sanitizeNotificationText("a\u0007b\nc\u202Ed\u0000", 100)).toBe("a b c d");
    expect(sanitizeNotificationText("x".repeat(50), 10)).toBe(`${"x".repeat(9)}…`);
  });
  it("escapes AppleScript and PowerShell string literals", () => {
    expect(escapeAppleScript('say "hi" \\ bye')).toBe('say \\"hi\\" \\\\ bye');
    expect(escapePowerShell("it's \u2019quoted\u2018")).toBe("it''s ''quoted''");
  });
});

describe("desktopCommand", () => {
  it("uses notify-send with -- so text cannot become options", () => {
    expect(desktopCommand("linux", "t", "-rf")).toEqual({
      command: "notify-send",
      args: ["--app-name=switchyard", "--", "t", "-rf"],
    });
  });
  it("builds an osascript call with the text inside escaped literals", () => {
    const cmd = desktopCommand("darwin", "switchyard", 'budget "x" \\ hit');
    expect(cmd?.command).toBe("osascript");
    expect(cmd?.args).toEqual([
      "-e",
      'display notification "budget \\"x\\" \\\\ hit" with title "switchyard"',
    ]);
  });
  it("builds a PowerShell call with single-quoted literals", () => {
    const cmd = desktopCommand("win32", "switchyard", "it's '; Remove-Item x; '");
    expect(cmd?.command).toBe("powershell.exe");
    expect(cmd?.args.at(-1)).toContain("'it''s ''; Remove-Item x; '''");
  });
  it("returns nothing on platforms without a notifier", () => {
    expect(desktopCommand("aix", "t", "m")).toBeUndefined();
  });
});

describe("createDesktopNotifier", () => {
  it("rings the bell on stderr and spawns without a shell", () => {
    const writes: string[] = [];
    const fake = fakeSpawn();
    const notify = createDesktopNotifier({
      platform: "linux",
      spawn: fake.spawn,
      stderr: { write: (s: string) => writes.push(s) },
    });
    notify({ level: "halt", title: "switchyard halted", message: "budget\u001b[31m exceeded" });
    expect(writes).toEqual(["\u0007switchyard: switchyard halted: budget [31m exceeded\n"]);
    expect(fake.calls).toEqual([
      {
        command: "notify-send",
        args: ["--app-name=switchyard", "--", "switchyard halted", "budget [31m exceeded"],
        options: { stdio: "ignore", detached: false, windowsHide: true, shell: false },
      },
    ]);
  });

  it("swallows and logs spawn failures, synchronous or async", () => {
    const logger = { warn: vi.fn() };
    const stderr = { write: () => true };
    const throwing = createDesktopNotifier({
      platform: "darwin",
      spawn: fakeSpawn("throw").spawn,
      stderr,
      logger,
    });
    expect(() => throwing({ level: "warn", title: "t", message: "m" })).not.toThrow();
    const fake = fakeSpawn();
    createDesktopNotifier({ platform: "linux", spawn: fake.spawn, stderr, logger })({
      level: "warn",
      title: "t",
      message: "m",
    });
    fake.emitError(new Error("spawn notify-send ENOENT"));
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it("skips the desktop when disabled", () => {
    const fake = fakeSpawn();
    createDesktopNotifier({
      desktop: false,
      platform: "linux",
      spawn: fake.spawn,
      stderr: { write: () => true },
    })({
      level: "warn",
      title: "t",
      message: "m",
    });
    expect(fake.calls).toHaveLength(0);
  });
});
