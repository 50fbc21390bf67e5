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
const commands = Object.keys(main.subCommands ?? {});
const first = process.argv[2];
if (first === "help") {
  // `switchyard help [command]` is `switchyard [command] --help`.
  process.argv.splice(2, 1);
  process.argv.splice(process.argv[2] === undefined ? 2 : 3, 0, "--help");
}
if (
  first !== undefined &&
  first !== "help" &&
  !first.startsWith("-") &&
  !commands.includes(first)
) {
  const { didYouMean } = await import("./config/suggest.js");
  process.stderr.write(
    `switchyard: unknown command "${first}"${didYouMean(first, commands)}; run \`switchyard --help\` for the list\n`,
  );
  process.exitCode = 1;
} else {
  await runMain(main);
}

export {};
