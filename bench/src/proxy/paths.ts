/**
 * The proxy bench's tables: which requests it measures (paths × kinds) and which switchyard
 * variants it runs (modes). Add a row here to measure a new path or mode; `pnpm bench proxy
 * --paths a,b --kinds json,s9 --modes default,x` picks a subset.
 */
import { fileURLToPath } from "node:url";
import { dashboardMode } from "./dashboard.js";

/** One request as the load generator sends it. */
export interface BenchRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** The shape of an answer: JSON, or an SSE stream with a number of text deltas. */
export interface BenchKind {
  id: string;
  label: string;
  stream: boolean;
  /** Text deltas in a streamed answer (the mock reads it from the model name's `-N`). */
  deltas: number;
}

/** A client protocol × upstream protocol pair, measured against the bare pipe. */
export interface BenchPath {
  id: string;
  label: string;
  /** What the client sends switchyard. */
  request(kind: BenchKind): BenchRequest;
  /**
   * What the client sends the bare pipe: the same exchange with the upstream switchyard
   * makes for `request`, without translation (the pipe forwards path and body as they are).
   */
  baseline(kind: BenchKind): BenchRequest;
}

/** A switchyard variant, run as its own process beside the default one. */
export interface BenchMode {
  id: string;
  label: string;
  /** Measured when `--modes` is not given. */
  byDefault: boolean;
  /** Another build's `cli.js` to run instead of apps/proxy/dist/cli.js (an A/B of two builds). */
  cli?: string;
  /** Extra `switchyard proxy` arguments; `dir` is the run's temp dir (its SWITCHYARD_HOME). */
  args?(dir: string): string[];
  /**
   * Runs beside each measured round of this mode (e.g. a dashboard client on `/events`);
   * returns how to stop it.
   */
  attach?(origin: string): Promise<() => Promise<void>>;
}

export const kinds: BenchKind[] = [
  { id: "json", label: "non-stream", stream: false, deltas: 0 },
  { id: "s9", label: "9-delta stream", stream: true, deltas: 9 },
  { id: "s200", label: "200-delta stream", stream: true, deltas: 200 },
];

const question = "Say something short.";
const json = { "content-type": "application/json" };
const anthropicHeaders = { ...json, "anthropic-version": "2023-06-01" };

/** `gpt-bench-9`: routed by prefix, and tells the mock how many deltas to stream. */
const model = (family: "gpt" | "claude", kind: BenchKind) =>
  `${family}-bench-${kind.stream ? kind.deltas : 0}`;

const chat = (family: "gpt" | "claude", kind: BenchKind): BenchRequest => ({
  path: "/v1/chat/completions",
  headers: json,
  body: JSON.stringify({
    model: model(family, kind),
    stream: kind.stream,
    messages: [{ role: "user", content: question }],
  }),
});

const messages = (family: "gpt" | "claude", kind: BenchKind): BenchRequest => ({
  path: "/v1/messages",
  headers: anthropicHeaders,
  body: JSON.stringify({
    model: model(family, kind),
    max_tokens: 256,
    stream: kind.stream,
    messages: [{ role: "user", content: question }],
  }),
});

const responses = (family: "gpt" | "claude", kind: BenchKind): BenchRequest => ({
  path: "/v1/responses",
  headers: json,
  body: JSON.stringify({
    model: model(family, kind),
    stream: kind.stream,
    store: false,
    input: question,
  }),
});

/**
 * Routes in the bench config: `gpt-*` to the OpenAI upstream, `claude-*` to the Anthropic one.
 * Each Responses path follows the translated path it is judged against (the same upstream
 * exchange): rounds go through the paths in this order, so a pair is measured back to back.
 */
export const paths: BenchPath[] = [
  {
    id: "pass-openai",
    label: "pass-through OpenAI",
    request: (k) => chat("gpt", k),
    baseline: (k) => chat("gpt", k),
  },
  {
    id: "pass-anthropic",
    label: "pass-through Anthropic",
    request: (k) => messages("claude", k),
    baseline: (k) => messages("claude", k),
  },
  {
    id: "anthropic-to-openai",
    label: "Anthropic client → OpenAI upstream",
    request: (k) => messages("gpt", k),
    baseline: (k) => chat("gpt", k),
  },
  {
    id: "responses-to-chat",
    label: "Responses client → OpenAI (chat) upstream",
    request: (k) => responses("gpt", k),
    baseline: (k) => chat("gpt", k),
  },
  {
    id: "openai-to-anthropic",
    label: "OpenAI client → Anthropic upstream",
    request: (k) => chat("claude", k),
    baseline: (k) => messages("claude", k),
  },
  {
    id: "responses-to-anthropic",
    label: "Responses client → Anthropic upstream",
    request: (k) => responses("claude", k),
    baseline: (k) => messages("claude", k),
  },
];

export const modes: BenchMode[] = [
  { id: "default", label: "switchyard", byDefault: true },
  {
    id: "capture",
    label: "switchyard --capture",
    byDefault: false,
    args: (dir) => ["--capture", `${dir}/capture`],
  },
  dashboardMode,
  // Not switchyard: the bare pipe plus the least each path's translation needs (see
  // floor-pipe.mjs), to read switchyard's ratios against what any translating proxy costs.
  {
    id: "floor",
    label: "floor: bare pipe + minimal translation",
    byDefault: false,
    cli: fileURLToPath(new URL("./floor-pipe.mjs", import.meta.url)),
  },
  // An A/B of two builds in the same run: copy a build's dist somewhere its imports still
  // resolve (e.g. `cp -r apps/proxy/dist apps/proxy/node_modules/.base`), then
  // `BENCH_ALT_CLI=$PWD/apps/proxy/node_modules/.base/cli.js pnpm bench proxy --modes default,alt`.
  ...(process.env.BENCH_ALT_CLI
    ? [
        {
          id: "alt",
          label: "switchyard (BENCH_ALT_CLI)",
          byDefault: false,
          cli: process.env.BENCH_ALT_CLI,
        },
      ]
    : []),
];
