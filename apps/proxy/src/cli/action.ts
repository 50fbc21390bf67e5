import type { ArgsDef, CommandContext } from "citty";
import { ConfigError } from "../config/errors.js";

/** Why a command failed. */
export type CliErrorCode =
  /** Bad flags or arguments. */
  | "usage"
  /** No proxy answered at the resolved address. */
  | "not_running"
  /** The command refused to do something unsafe. */
  | "refused"
  /** The operation itself failed. */
  | "failed";

const marker = Symbol.for("switchyard.cli.error");

/** An error whose message is meant for the user as-is (no stack trace). */
export class CliError extends Error {
  readonly [marker] = true;
  readonly code: CliErrorCode;
  readonly exitCode: number;

  constructor(
    code: CliErrorCode,
    message: string,
    options?: { cause?: unknown; exitCode?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.exitCode = options?.exitCode ?? 1;
  }

  /** True for any `CliError`, even one from a duplicate install. */
  static isInstance(value: unknown): value is CliError {
    return typeof value === "object" && value !== null && marker in value;
  }
}

/** Print an error for the user on stderr and return the exit code to use. */
export function reportError(
  error: unknown,
  stderr: NodeJS.WritableStream = process.stderr,
): number {
  if (CliError.isInstance(error)) {
    stderr.write(`switchyard: ${error.message}\n`);
    return error.exitCode;
  }
  if (ConfigError.isInstance(error)) {
    const lines = error.message.split("\n");
    stderr.write(
      lines.length === 1
        ? `switchyard: ${error.message}\n`
        : `switchyard: invalid configuration:\n${lines.map((l) => `  ${l}`).join("\n")}\n`,
    );
    return 1;
  }
  const fsProblem = describeFsError(error);
  if (fsProblem !== undefined) {
    stderr.write(`switchyard: ${fsProblem}\n`);
    return 1;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  stderr.write(`switchyard: unexpected error: ${message}\n`);
  if (process.env.SWITCHYARD_DEBUG && error instanceof Error) stderr.write(`${error.stack}\n`);
  return 1;
}

/** What the common file-system errors mean, for someone who did not write the code. */
const fsReasons: Record<string, string> = {
  ENOTDIR: "a part of that path is a file, not a directory (check SWITCHYARD_HOME)",
  EISDIR: "it is a directory, not a file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  ENOENT: "it does not exist",
};

/** `cannot open /x/usage: a part of that path is a file …` for an fs error with a path. */
function describeFsError(error: unknown): string | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== "string" || typeof path !== "string") return undefined;
  const reason = fsReasons[code];
  if (reason === undefined) return undefined;
  return `cannot ${syscall ?? "use"} ${path}: ${reason} (${code})`;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * The first option in `rawArgs` that `args` does not define (`--prot` for `--port`), or
 * undefined. citty ignores unknown options, so a typo would otherwise be silently dropped.
 */
export function findUnknownOption(rawArgs: readonly string[], args: ArgsDef): string | undefined {
  const known = new Set(["help", "h", "version", "v"]);
  for (const name of Object.keys(args)) known.add(camel(name));
  for (const raw of rawArgs) {
    if (raw === "--") break;
    // Positionals and `-` (read from stdin) are not options.
    if (!raw.startsWith("-") || raw === "-" || /^-\d/.test(raw)) continue;
    const name = raw.replace(/^--?/, "").split("=")[0] ?? "";
    const bare = name.startsWith("no-") ? name.slice(3) : name;
    if (!known.has(camel(name)) && !known.has(camel(bare))) return raw.split("=")[0];
  }
  return undefined;
}

/** Wrap a command's `run` so failures print one clear line and set a non-zero exit code. */
export function action<T extends ArgsDef>(
  run: (context: CommandContext<T>) => Promise<void> | void,
): (context: CommandContext<T>) => Promise<void> {
  return async (context) => {
    try {
      const defs = context.cmd.args;
      const args = (typeof defs === "function" ? await defs() : await defs) ?? {};
      const unknown = findUnknownOption(context.rawArgs, args);
      if (unknown !== undefined) {
        const name = context.cmd.meta;
        const command = (typeof name === "function" ? await name() : await name)?.name;
        throw new CliError(
          "usage",
          `unknown option ${unknown}${command ? ` for ${command}` : ""}; see --help for the options`,
        );
      }
      await run(context);
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}
