/** What went wrong while reading, validating or writing switchyard's config. */
export type ConfigErrorCode =
  /** A field has the wrong type or form; `issues` names each one. */
  | "invalid_config"
  /** The file is not parseable JSON. */
  | "invalid_json"
  /** An explicitly requested config file (`--config`, `SWITCHYARD_CONFIG`) does not exist. */
  | "config_not_found"
  /** An `env:NAME` reference points at an unset variable. */
  | "missing_env"
  /** A flag or environment variable has a bad value. */
  | "invalid_value"
  /** Reading or writing a file failed. */
  | "io_error";

/** One bad field: its dotted path and what is wrong with it. */
export interface ConfigIssue {
  path: string;
  message: string;
}

const marker = Symbol.for("switchyard.config.error");

/** Error thrown by config loading, validation and the credential store. */
export class ConfigError extends Error {
  readonly [marker] = true;
  readonly code: ConfigErrorCode;
  readonly issues: ConfigIssue[];
  readonly file: string | undefined;

  constructor(options: {
    code: ConfigErrorCode;
    message: string;
    issues?: ConfigIssue[];
    file?: string;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = "ConfigError";
    this.code = options.code;
    this.issues = options.issues ?? [];
    this.file = options.file;
  }

  /** True for any `ConfigError`, even one from a duplicate install. */
  static isInstance(value: unknown): value is ConfigError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
