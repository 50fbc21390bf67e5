import { type CommandDef, type CommandMeta, type SubCommandsDef, showUsage } from "citty";

// biome-ignore lint/suspicious/noExplicitAny: citty types sub-commands as CommandDef<any>
type AnyCommand = CommandDef<any>;

/**
 * A command whose module loads only when it runs (or its own help is shown), so
 * `switchyard --help` never imports the server, the doctor or a network client.
 */
export function lazyCommand(meta: CommandMeta, load: () => Promise<AnyCommand>): AnyCommand {
  let loaded: Promise<AnyCommand> | undefined;
  const get = () => {
    loaded ??= load();
    return loaded;
  };
  return {
    meta,
    args: async () => (await resolve((await get()).args)) ?? {},
    // Leaf commands resolve to `{}` so citty's usage renderer can iterate it.
    subCommands: (async () =>
      (await resolve((await get()).subCommands)) ?? {}) as unknown as () => SubCommandsDef,
    run: async (context) => {
      const command = await get();
      if (command.run) return command.run(context);
      // A group run without a sub-command (citty only dispatches when one is named).
      if (!context.rawArgs.some((arg) => !arg.startsWith("-"))) {
        await showUsage({ ...command, meta: { ...meta, name: `switchyard ${meta.name}` } });
        process.exitCode = 1;
      }
    },
  };
}

async function resolve<T>(value: T | Promise<T> | (() => T) | (() => Promise<T>)): Promise<T> {
  return typeof value === "function" ? (value as () => T | Promise<T>)() : value;
}
