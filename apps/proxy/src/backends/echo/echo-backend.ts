import type { Backend, BackendModel } from "../types.js";
import { planEcho } from "./echo-plan.js";
import {
  renderAnthropicMessage,
  renderAnthropicStream,
  renderOpenAICompletion,
  renderOpenAIStream,
} from "./echo-render.js";

/**
 * The `echo` backend: answers without any network, in the caller's protocol, streaming or
 * not. What it answers is documented on {@link planEcho}. Use it as `echo:<anything>`.
 *
 * @example
 * curl localhost:3456/v1/chat/completions -H 'content-type: application/json' \
 *   -d '{"model":"echo:test","messages":[{"role":"user","content":"hi"}]}'
 */
export function createEchoBackend(name = "echo"): Backend {
  let counter = 0;
  // Any model name works; listed is one a client can pick and send as-is (not a glob).
  const models: BackendModel[] = [{ id: "test" }];
  return {
    name,
    type: "echo",
    async listModels() {
      return models;
    },
    async handle(request) {
      const { dialect, endpoint, body, response } = request;
      const plan = planEcho(dialect, body);
      const usage = { inputTokens: plan.inputTokens, outputTokens: plan.outputTokens };
      if (endpoint === "count_tokens") {
        response.json(200, { input_tokens: plan.inputTokens });
        return { status: 200, usage: { inputTokens: plan.inputTokens } };
      }
      counter += 1;
      const serial = String(counter).padStart(6, "0");
      const ids = {
        id: dialect === "anthropic" ? `msg_echo${serial}` : `chatcmpl-echo${serial}`,
        toolId: dialect === "anthropic" ? `toolu_echo${serial}` : `call_echo${serial}`,
        model: request.model,
        created: Math.floor(Date.now() / 1000),
      };
      if (!request.stream) {
        response.json(
          200,
          dialect === "anthropic"
            ? renderAnthropicMessage(plan, ids)
            : renderOpenAICompletion(plan, ids),
        );
        return { status: 200, usage, target: name };
      }
      const options = body.stream_options as { include_usage?: unknown } | undefined;
      const events =
        dialect === "anthropic"
          ? renderAnthropicStream(plan, ids)
          : renderOpenAIStream(plan, ids, options?.include_usage === true);
      response.startStream(200);
      for (const event of events) {
        if (request.signal.aborted) break;
        await response.write(event);
      }
      response.end();
      return { status: 200, usage, target: name };
    },
  };
}
