/**
 * The `switchyard` entry point. Colours are decided before citty loads (it reads `NO_COLOR`
 * once, when imported): plain text whenever stdout or stderr is not a terminal, so help and
 * errors captured in a file or a pipe carry no escape codes. `NO_COLOR`/`FORCE_COLOR` win.
 */
const plain =
  !(process.stdout.isTTY && process.stderr.isTTY) &&
  process.env.NO_COLOR === undefined &&
  process.env.FORCE_COLOR === undefined;
if (plain) process.env.NO_COLOR = "1";
const { main } = await import("./cli/main.js");
const { runMain } = await import("citty");
// Not passed on to the processes switchyard starts (the claude CLI, editors' tools).
if (plain) delete process.env.NO_COLOR;
await runMain(main);

export {};
