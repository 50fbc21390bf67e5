import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";

/** True when a `tmux` binary is on PATH. */
export function hasTmux(): boolean {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A detached tmux server of its own (socket in a temp dir) with one bash pane. */
export interface TmuxPane {
  /** Presses keys (`tmux send-keys` names: `Enter`, `C-c`, `Tab`, `q`). */
  keys(...keys: string[]): Promise<void>;
  /** Types text literally (`send-keys -l`). */
  type(text: string): Promise<void>;
  /** Types a shell command and presses Enter. */
  run(command: string): Promise<void>;
  /** The visible screen as text (`capture-pane -p`). */
  capture(): Promise<string>;
  /** A tmux format of the pane (`display -p`), e.g. `#{alternate_on}`. */
  display(format: string): Promise<string>;
  /** Polls the screen until `test` holds; throws with the last screen after `timeoutMs`. */
  waitFor(test: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): Promise<void>;
  kill(): Promise<void>;
}

function tmux(socket: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("tmux", ["-S", socket, ...args], { timeout: 15_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`tmux ${args[0]}: ${error.message} ${stderr}`)) : resolve(stdout),
    );
  });
}

/** How many panes this process started (each gets its own socket). */
let panes = 0;

/** Starts `bash` (no rc files, prompt `$ `) in a `columns`×`rows` pane with `env`. */
export async function startTmux(options: {
  dir: string;
  columns: number;
  rows: number;
  env: Record<string, string>;
}): Promise<TmuxPane> {
  // A socket of its own per pane: a server still exiting after the last pane's kill-server
  // must not be the one a new session talks to ("server exited unexpectedly").
  const socket = join(options.dir, `tmux-${++panes}.sock`);
  const envArgs = Object.entries({ PS1: "$ ", ...options.env }).flatMap(([k, v]) => [
    "-e",
    `${k}=${v}`,
  ]);
  await tmux(socket, [
    "-f",
    "/dev/null",
    "new-session",
    "-d",
    "-x",
    String(options.columns),
    "-y",
    String(options.rows),
    ...envArgs,
    "bash --norc --noprofile",
  ]);
  const pane: TmuxPane = {
    keys: async (...keys) => void (await tmux(socket, ["send-keys", ...keys])),
    type: async (text) => void (await tmux(socket, ["send-keys", "-l", text])),
    run: async (command) => {
      await pane.type(command);
      await pane.keys("Enter");
    },
    capture: () => tmux(socket, ["capture-pane", "-p"]),
    display: async (format) => (await tmux(socket, ["display", "-p", format])).trim(),
    async waitFor(test, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let screen = "";
      for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
        screen = await pane.capture();
        if (test(screen)) return screen;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${screen}`);
    },
    resize: async (columns, rows) =>
      void (await tmux(socket, ["resize-window", "-x", String(columns), "-y", String(rows)])),
    kill: async () => void (await tmux(socket, ["kill-server"]).catch(() => "")),
  };
  return pane;
}
