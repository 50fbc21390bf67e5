export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ProxyAddress,
  type ProxyAddressFlags,
  resolveProxyAddress,
} from "./address.js";
export { type WriteFileAtomicOptions, writeFileAtomic } from "./atomic-write.js";
export { readConfigFileRaw, updateConfigFile } from "./config-file.js";
export { CREDENTIALS_FILE, type CredentialStore, createCredentialStore } from "./credentials.js";
export { CONFIG_DEFAULTS, DEFAULT_BASE_URLS } from "./defaults.js";
export { ConfigError, type ConfigErrorCode, type ConfigIssue } from "./errors.js";
export { resolveConfigPath, resolveHome, type SwitchyardEnv } from "./home.js";
export { type ConfigFlags, type LoadConfigOptions, loadConfig } from "./load.js";
export { BACKEND_PRESETS, type BackendPreset, findPreset } from "./presets.js";
export {
  collectSecrets,
  REDACTED,
  type RedactedConfig,
  redactConfig,
  scrubSecrets,
} from "./redact.js";
export type * from "./types.js";
export { type ValidatedConfigFile, validateConfigFile } from "./validate.js";
export { displayUrl, isLoopbackHost } from "./values.js";
