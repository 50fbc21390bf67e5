import { TranslationError } from "@switchyard/openai-compat";
import {
  createOverageGuard,
  createPriceTable,
  type GuardState,
  type GuardStateStore,
} from "@switchyard/overage-guard";
import { describe, expect, it } from "vitest";
import type { Backend, BackendRequest, ResponseSink } from "../backends/types.js";
import type { UsageEntry } from "../usage/record.js";
import { createGuardGate, createRequestTracks } from "./guard-gate.js";

/** A store whose saves finish only when the test says so (a slow disk). */
function slowStore() {
  const saves: { state: GuardState; finish: () => void }[] = [];
  const store: GuardStateStore = {
    load: async () => undefined,
    save: (state) =>
      new Promise<void>((resolve) => {
        saves.push({ state, finish: resolve });
      }),
  };
  return { store, saves };
}

function recordingSink() {
  const sent: number[] = [];
  const sink: ResponseSink = {
    json: (status) => {
      sent.push(status);
    },
    bytes: (status) => {
      sent.push(status);
    },
    startStream: () => {},
    write: async () => {},
    end: () => {},
    started: false,
    closed: false,
  };
  return { sink, sent };
}

const request = (response: ResponseSink): BackendRequest => ({
  dialect: "openai",
  endpoint: "chat_completions",
  body: { model: "gpt-4o", messages: [] },
  model: "gpt-4o",
  requestedModel: "gpt-4o",
  stream: false,
  headers: {},
  signal: new AbortController().signal,
  response,
});

describe("guard gate", () => {
  it("sends the 503 that announces a halt only after the halt is saved", async () => {
    const { store, saves } = slowStore();
    const guard = createOverageGuard({ store, notify: () => {}, logger: { warn: () => {} } });
    const records: UsageEntry[] = [];
    const gate = createGuardGate({
      guard,
      prices: createPriceTable({}),
      record: (entry) => {
        records.push(entry);
      },
      tracks: createRequestTracks(),
      budgeted: false,
    });
    const upstream = { handle: async () => ({ status: 200 }) } as unknown as Backend;
    const backend = gate.wrap(new Map([["oa", upstream]])).get("oa")!;
    guard.signal({ kind: "payment-required", backend: "oa", detail: "402" });
    const { sink, sent } = recordingSink();
    const answered = backend.handle(request(sink));
    await new Promise((r) => setTimeout(r, 20));
    // The halt's save is under way and not finished: nothing may have been announced yet.
    expect(saves).toHaveLength(1);
    expect(saves[0]?.state.halts).toHaveLength(1);
    expect(sent).toEqual([]);
    saves[0]?.finish();
    await answered;
    expect(sent).toEqual([503]);
    expect(records.map((r) => r.status)).toEqual([503]);
  });

  it("does not wait for the usage record before the response completes", async () => {
    let recorded = 0;
    const gate = createGuardGate({
      prices: createPriceTable({}),
      // A writer that never finishes: the response must not hang on it.
      record: () => {
        recorded++;
        return new Promise<void>(() => {}) as unknown as undefined;
      },
      tracks: createRequestTracks(),
    });
    const upstream = {
      handle: async (r: BackendRequest) => {
        r.response.json(200, { ok: true });
        return { status: 200 };
      },
    } as unknown as Backend;
    const backend = gate.wrap(new Map([["oa", upstream]])).get("oa")!;
    const { sink, sent } = recordingSink();
    await backend.handle(request(sink));
    expect(sent).toEqual([200]);
    expect(recorded).toBe(1);
  });

  it("writes no usage record for a request the backend refused before going upstream", async () => {
    const records: UsageEntry[] = [];
    const gate = createGuardGate({
      prices: createPriceTable({}),
      record: (entry) => {
        records.push(entry);
      },
      tracks: createRequestTracks(),
    });
    let thrown: unknown;
    const upstream = {
      handle: async () => {
        throw thrown;
      },
    } as unknown as Backend;
    const backend = gate.wrap(new Map([["an", upstream]])).get("an")!;
    thrown = new TranslationError({ code: "unsupported_parameter", message: "n", param: "n" });
    await expect(backend.handle(request(recordingSink().sink))).rejects.toBe(thrown);
    expect(records).toEqual([]);
    // An upstream answer that cannot be translated went upstream: it is on record.
    thrown = new TranslationError({ code: "invalid_response", message: "no choices" });
    await expect(backend.handle(request(recordingSink().sink))).rejects.toBe(thrown);
    expect(records.map((r) => [r.backend, r.status])).toEqual([["an", 502]]);
  });
});
