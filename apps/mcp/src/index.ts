export {
  type AdminClient,
  type AdminClientOptions,
  type AdminRequestOptions,
  createAdminClient,
} from "./admin-client.js";
export {
  type ConnectionFlags,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ProxyConnection,
  type ResolveConnectionOptions,
  resolveProxyConnection,
  type ValueSource,
} from "./connection.js";
export { SwitchyardMcpError, type SwitchyardMcpErrorCode } from "./mcp-error.js";
export { INVALID_REQUEST, PARSE_ERROR, replyToParseErrors } from "./parse-error-replies.js";
export {
  createRedactor,
  isSecretFieldName,
  REDACTED,
  type Redactor,
  type RedactorOptions,
} from "./redact.js";
export {
  ACTION_TOOLS,
  createSwitchyardMcpServer,
  READ_TOOLS,
  type SwitchyardMcpServerOptions,
  VERSION,
} from "./server.js";
