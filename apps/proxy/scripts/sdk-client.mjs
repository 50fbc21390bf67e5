// The official SDKs making the calls a typical app makes (plain, streamed, with a tool),
// against whatever base URL `switchyard capture` gives them. Used by record-fixtures.mjs.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";

const weather = {
  name: "get_weather",
  description: "Current weather for a city",
  schema: {
    type: "object",
    properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } },
    required: ["city"],
  },
};

if (process.argv[2] === "openai") {
  const client = new OpenAI({ maxRetries: 0 });
  await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "You are a terse assistant." },
      { role: "user", content: "What is the weather in Paris?" },
    ],
    tools: [
      {
        type: "function",
        function: {
          name: weather.name,
          description: weather.description,
          parameters: weather.schema,
        },
      },
    ],
  });
  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini",
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: "user", content: "Say hello in three words." }],
  });
  for await (const _ of stream);
} else if (process.argv[2] === "anthropic") {
  const client = new Anthropic({ maxRetries: 0 });
  await client.messages.create({
    model: "claude-opus-5-5",
    max_tokens: 256,
    system: "You are a terse assistant.",
    messages: [{ role: "user", content: "What is the weather in Paris?" }],
    tools: [{ name: weather.name, description: weather.description, input_schema: weather.schema }],
  });
  await client.messages
    .stream({
      model: "claude-opus-5-5",
      max_tokens: 256,
      messages: [{ role: "user", content: "Say hello in three words." }],
    })
    .finalMessage();
} else {
  console.error("usage: sdk-client.mjs openai|anthropic");
  process.exit(2);
}
