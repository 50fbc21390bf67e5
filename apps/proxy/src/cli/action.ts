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
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  stderr.write(`switchyard: unexpected error: ${message}\n`);
  if (process.env.SWITCHYARD_DEBUG && error instanceof Error) stderr.write(`${error.stack}\n`);
  return 1;
}

/** Wrap a command's `run` so failures print one clear line and set a non-zero exit code. */
export function action<T extends ArgsDef>(
  run: (context: CommandContext<T>) => Promise<void> | void,
): (context: CommandContext<T>) => Promise<void> {
  return async (context) => {
    try {
      await run(context);
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}
