import type { ResponsesRequest } from "@switchyard/openai-compat";
import { omittedHeaders } from "../http/omitted.js";
import { answerTokenCount } from "../token-count.js";
import type { Backend, BackendModel, BackendRequest, BackendResult } from "../types.js";
import { planEcho } from "./echo-plan.js";
import {
  renderAnthropicMessage,
  renderAnthropicStream,
  renderOpenAICompletion,
  renderOpenAIStream,
} from "./echo-render.js";
import { planEchoResponses, renderResponsesBody, renderResponsesStream } from "./echo-responses.js";

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
  const nextIds = (model: string) => {
    counter += 1;
    const serial = String(counter).padStart(6, "0");
    return {
      id: `chatcmpl-echo${serial}`,
      toolId: `call_echo${serial}`,
      model,
      created: Math.floor(Date.now() / 1000),
    };
  };
  /** `/v1/responses`: the same plan, answered in the Responses protocol. */
  const respond = async (
    request: BackendRequest,
    body: ResponsesRequest,
  ): Promise<BackendResult> => {
    const echo = planEchoResponses(body);
    const usage = { inputTokens: echo.plan.inputTokens, outputTokens: echo.plan.outputTokens };
    const ids = nextIds(request.model);
    const echoed = body;
    const headers = omittedHeaders(echo.omitted);
    const result: BackendResult = { status: 200, usage, target: name };
    if (echo.omitted.length > 0) result.omitted = echo.omitted;
    if (!request.stream) {
      request.response.json(200, renderResponsesBody(echo, ids, echoed), headers);
      return result;
    }
    request.response.startStream(200, headers);
    for (const event of renderResponsesStream(echo, ids, echoed)) {
      if (request.signal.aborted) break;
      await request.response.write(event);
    }
    request.response.end();
    return result;
  };
  return {
    name,
    type: "echo",
    async listModels() {
      return models;
    },
    async handle(request) {
      const { dialect, endpoint, body, response } = request;
      if (endpoint === "responses") return respond(request, body as unknown as ResponsesRequest);
      if (endpoint === "responses_input_tokens") {
        // The input tokens its `/v1/responses` answer would report for the same body.
        const { plan } = planEchoResponses(body as unknown as ResponsesRequest);
        return answerTokenCount(request, plan.inputTokens);
      }
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
