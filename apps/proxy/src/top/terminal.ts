import { emitKeypressEvents, type Key } from "node:readline";
import ansiEscapes from "ansi-escapes";

/** A key press as readline parses it. */
export interface KeyPress {
  /** The character typed, when printable. */
  sequence: string | undefined;
  name: string | undefined;
  ctrl: boolean;
  shift: boolean;
}

/** The full-screen terminal `switchyard top` draws on. */
export interface FullScreen {
  readonly columns: number;
  readonly rows: number;
  /** Draws a frame, rewriting only the rows that changed since the last one. */
  draw(lines: readonly string[]): void;
  /** Leaves the alternate screen, shows the cursor, ends raw mode. Safe to call twice. */
  restore(): void;
}

/** Options of {@link openFullScreen}. */
export interface FullScreenOptions {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  onKey(key: KeyPress): void;
  onResize(): void;
}

/**
 * Switches the terminal to the alternate screen with the cursor hidden and the keyboard in raw
 * mode; `restore()` undoes all three, and is also run on `process.exit` so no path out (an
 * uncaught error included) leaves the terminal unusable.
 */
export function openFullScreen(options: FullScreenOptions): FullScreen {
  const { stdin, stdout } = options;
  let previous: readonly string[] = [];
  let restored = false;

  const onKeypress = (sequence: string | undefined, key: Key | undefined) => {
    options.onKey({
      sequence,
      name: key?.name,
      ctrl: key?.ctrl === true,
      shift: key?.shift === true,
    });
  };
  const onResize = () => {
    previous = [];
    stdout.write(ansiEscapes.clearViewport);
    options.onResize();
  };
  const restore = () => {
    if (restored) return;
    restored = true;
    stdin.off("keypress", onKeypress);
    stdout.off("resize", onResize);
    process.off("exit", restore);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    stdout.write(`\u001b[0m${ansiEscapes.cursorShow}${ansiEscapes.exitAlternativeScreen}`);
  };

  process.on("exit", restore);
  emitKeypressEvents(stdin);
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on("keypress", onKeypress);
  stdin.resume();
  stdout.on("resize", onResize);
  stdout.write(
    `${ansiEscapes.enterAlternativeScreen}${ansiEscapes.cursorHide}${ansiEscapes.clearViewport}`,
  );

  return {
    get columns() {
      return stdout.columns || 80;
    },
    get rows() {
      return stdout.rows || 24;
    },
    draw(lines) {
      if (restored) return;
      let out = "";
      lines.forEach((line, row) => {
        // Each row is positioned, never reached by a newline: writing the last row must not
        // scroll the screen.
        if (previous[row] !== line) out += `${ansiEscapes.cursorTo(0, row)}${line}\u001b[0m`;
      });
      previous = [...lines];
      if (out !== "") stdout.write(out);
    },
    restore,
  };
}
