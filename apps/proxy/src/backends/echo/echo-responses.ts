import {
  convertOpenAIResponseToResponses,
  convertResponsesRequestToOpenAI,
  createOpenAIToResponsesStreamTranslator,
  type OpenAIChatCompletion,
  type OpenAIStreamItem,
  parseOpenAIStreamData,
  type ResponsesRequest,
  serializeResponsesStreamEvent,
} from "@switchyard/openai-compat";
import { type EchoPlan, planEcho } from "./echo-plan.js";
import { type EchoIds, renderOpenAICompletion, renderOpenAIStream } from "./echo-render.js";

/** The echo plan of a Responses request, and whether `max_output_tokens` cut its text. */
export interface EchoResponsesPlan {
  plan: EchoPlan;
  cut: boolean;
  omitted: string[];
}

/**
 * Plans a `/v1/responses` echo: the request is read as its Chat Completions translation
 * (so the same rules apply: the last tool output is echoed, `call <tool>` calls it). A text
 * answer longer than `max_output_tokens` (at 4 characters a token) is cut there and the
 * response ends `incomplete`, as a real model's would.
 */
export function planEchoResponses(body: ResponsesRequest): EchoResponsesPlan {
  // `max_output_tokens` is the translation's `max_completion_tokens`: the plan cuts at it.
  const { request, omitted } = convertResponsesRequestToOpenAI(body);
  const plan = planEcho("openai", request as unknown as Record<string, unknown>);
  return { plan, cut: plan.truncated === true, omitted };
}

/** The Responses JSON body for a plan. */
export function renderResponsesBody(
  echo: EchoResponsesPlan,
  ids: EchoIds,
  request: ResponsesRequest,
) {
  const completion = renderOpenAICompletion(echo.plan, ids) as unknown as OpenAIChatCompletion;
  if (echo.cut) (completion.choices[0] as { finish_reason: string }).finish_reason = "length";
  return convertOpenAIResponseToResponses(completion, { request, model: ids.model });
}

/** The Responses SSE events for a plan (through the same translator real upstreams use). */
export function renderResponsesStream(
  echo: EchoResponsesPlan,
  ids: EchoIds,
  request: ResponsesRequest,
): string[] {
  const translator = createOpenAIToResponsesStreamTranslator({ request, model: ids.model });
  const out: string[] = [];
  for (const line of renderOpenAIStream(echo.plan, ids, true)) {
    const item: OpenAIStreamItem = parseOpenAIStreamData(line.slice(6, -2));
    if (echo.cut && typeof item === "object" && "choices" in item) {
      const choice = item.choices[0];
      if (choice?.finish_reason) choice.finish_reason = "length";
    }
    let text = "";
    for (const event of translator.push(item)) text += serializeResponsesStreamEvent(event);
    if (text) out.push(text);
  }
  return out;
}
