import type { AbortSignalLike } from "@switchyard/pool";
import type { Backend } from "../backends/types.js";
import type { ResolvedConfig } from "../config/types.js";

/** One entry of `/v1/models`, before it is shaped for a dialect. */
export interface ListedModel {
  id: string;
  ownedBy: string;
  createdAt: number;
}

/**
 * Every model the proxy can serve: each backend's reported models as `<backend>:<model>`
 * (`echo:test` for echo, which answers any name), then each route glob as-is (owned by its backend). Backends that
 * fail or time out contribute nothing (their `listModels` does its own short timeout).
 */
export async function collectModels(
  backends: ReadonlyMap<string, Backend>,
  config: ResolvedConfig,
  signal: AbortSignalLike,
): Promise<ListedModel[]> {
  const lists = await Promise.all(
    [...backends.values()].map(async (backend) => {
      try {
        const models = (await backend.listModels?.(signal)) ?? [];
        return models.map((m) => ({
          id: `${backend.name}:${m.id}`,
          ownedBy: backend.name,
          createdAt: m.createdAt ?? 0,
        }));
      } catch {
        return [];
      }
    }),
  );
  const seen = new Set<string>();
  const out: ListedModel[] = [];
  const add = (m: ListedModel) => {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    out.push(m);
  };
  for (const list of lists) for (const m of list) add(m);
  for (const route of config.routes) add({ id: route.match, ownedBy: route.backend, createdAt: 0 });
  return out;
}

/** The OpenAI list shape: `{object:"list",data:[{id,object:"model",created,owned_by}]}`. */
export function toOpenAIModelList(models: ListedModel[]): Record<string, unknown> {
  return {
    object: "list",
    data: models.map((m) => ({
      id: m.id,
      object: "model",
      created: m.createdAt,
      owned_by: m.ownedBy,
    })),
  };
}

/** The Anthropic list shape: `{data:[{type:"model",id,display_name,created_at}],has_more,first_id,last_id}`. */
export function toAnthropicModelList(models: ListedModel[]): Record<string, unknown> {
  return {
    data: models.map((m) => ({
      type: "model",
      id: m.id,
      display_name: m.id,
      created_at: new Date(m.createdAt * 1000).toISOString(),
    })),
    has_more: false,
    first_id: models[0]?.id ?? null,
    last_id: models.at(-1)?.id ?? null,
  };
}
