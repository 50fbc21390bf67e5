import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import {
  asArray,
  asNumber,
  asObject,
  asString,
  compact,
  requireObject,
} from "../internal/coerce.js";
import { SwitchyardMcpError } from "../mcp-error.js";
import { normalizeStatus } from "./status-shape.js";
import { guarded, okResult, type ToolContext } from "./tool-context.js";

const liveTargetSchema = z.object({
  id: z.string(),
  baseUrl: z.string().optional(),
  hasKey: z.boolean().optional(),
  weight: z.number().optional(),
  headroom: z
    .number()
    .optional()
    .describe("Share of the rate limit left, 0–1, from the upstream's headers"),
  cooldownUntil: z.string().optional().describe("Not used until this time (after a 429/5xx)"),
  breaker: z.string().optional().describe("Circuit breaker: closed | open | half-open"),
  inFlight: z.number().optional().describe("Requests in flight to this target"),
  details: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .optional()
    .describe("Other live fields the pool reports"),
});

const outputSchema = {
  backends: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      baseUrl: z.string().optional(),
      hasKey: z.boolean(),
      isDefault: z.boolean().describe("Receives requests no route matches"),
      routes: z.array(z.string()).describe("Model globs routed to this backend"),
      signIn: z
        .object({
          flow: z.string(),
          signedIn: z.boolean(),
          expiresAt: z.string().optional().describe("When the current access token expires"),
          refreshable: z.boolean().describe("Renewed without the user (refresh token held)"),
        })
        .optional()
        .describe("OIDC sign-in state of a backend with an auth block (never a token)"),
      targets: z.array(liveTargetSchema),
    }),
  ),
  defaultBackend: z.string().optional(),
  poolAvailable: z.boolean().describe("Whether live pool state (`GET /pool`) could be read"),
};

const KNOWN = new Set([
  "id",
  "baseUrl",
  "hasKey",
  "weight",
  "headroom",
  "cooldownUntil",
  "breaker",
  "inFlight",
]);

type LiveTarget = z.infer<typeof liveTargetSchema>;

function poolTargets(
  pool: Record<string, unknown> | undefined,
  backend: string,
): Map<string, LiveTarget> {
  const out = new Map<string, LiveTarget>();
  const entry = asObject(asObject(pool?.backends)?.[backend]);
  for (const raw of asArray(entry?.targets)) {
    const t = asObject(raw);
    const id = asString(t?.id);
    if (!t || !id) continue;
    const details: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(t)) {
      if (KNOWN.has(k)) continue;
      if (v === null || ["string", "number", "boolean"].includes(typeof v))
        details[k] = v as string;
    }
    // `GET /pool` nests request counts and per-dimension headroom; flatten the numbers.
    for (const [k, v] of Object.entries(asObject(t.counts) ?? {})) {
      if (typeof v === "number") details[`counts.${k}`] = v;
    }
    for (const [name, d] of Object.entries(asObject(t.dimensions) ?? {})) {
      const headroom = asNumber(asObject(d)?.headroom);
      if (headroom !== undefined) details[`headroom.${name}`] = Math.round(headroom * 1000) / 1000;
    }
    const cooldown = t.cooldownUntil;
    const breaker = asString(t.breaker) ?? asString(asObject(t.breaker)?.state);
    out.set(
      id,
      compact({
        id,
        headroom: asNumber(t.headroom),
        cooldownUntil:
          typeof cooldown === "number" ? new Date(cooldown).toISOString() : asString(cooldown),
        breaker,
        inFlight: asNumber(t.inFlight),
        details: Object.keys(details).length ? details : undefined,
      }),
    );
  }
  return out;
}

function describeTarget(t: LiveTarget): string {
  const parts = [t.id];
  if (t.headroom !== undefined) parts.push(`headroom ${Math.round(t.headroom * 100)}%`);
  if (t.breaker) parts.push(`breaker ${t.breaker}`);
  if (t.inFlight !== undefined) parts.push(`${t.inFlight} in flight`);
  if (t.cooldownUntil) parts.push(`cooling down until ${t.cooldownUntil}`);
  return parts.join(", ");
}

/** The sign-in fields `/status` reports for a backend; only these, whatever else arrives. */
function signInOf(raw: unknown) {
  const a = asObject(raw);
  if (a === undefined) return undefined;
  return compact({
    flow: asString(a.flow) ?? "oidc",
    signedIn: a.signedIn === true,
    expiresAt: asString(a.expiresAt),
    refreshable: a.refreshable === true,
  });
}

/** Registers `backends`: configured backends, their targets and live headroom. */
export function registerBackendsTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "backends",
    {
      title: "switchyard backends",
      description:
        "The backends the switchyard proxy routes to, which model globs reach each, their upstream targets and each target's live headroom, breaker and cooldown.",
      inputSchema: {},
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      guarded(ctx, async () => {
        const [statusBody, poolBody] = await Promise.all([
          ctx.admin.get("/status"),
          ctx.admin.get("/pool").catch((error: unknown) => {
            // An older proxy without `/pool` still has useful static config.
            if (SwitchyardMcpError.isInstance(error) && error.code === "not_found")
              return undefined;
            throw error;
          }),
        ]);
        const status = normalizeStatus(statusBody);
        const auth = asObject(asObject(statusBody)?.auth);
        const pool = poolBody === undefined ? undefined : requireObject(poolBody, "GET /pool");
        const backends = status.backends.map((b) => {
          const live = poolTargets(pool, b.name);
          const configured = b.targets ?? [];
          const targets: LiveTarget[] = configured.map((t) => ({ ...t, ...live.get(t.id) }));
          for (const [id, t] of live) {
            if (!configured.some((c) => c.id === id)) {
              targets.push(compact({ ...t, baseUrl: b.baseUrl, hasKey: b.hasKey }));
            }
          }
          return compact({
            name: b.name,
            type: b.type,
            baseUrl: b.baseUrl,
            hasKey: b.hasKey,
            isDefault: b.name === status.defaultBackend,
            routes: status.routes.filter((r) => r.backend === b.name).map((r) => r.match),
            signIn: signInOf(auth?.[b.name]),
            targets,
          });
        });
        const lines = backends.map((b) => {
          const via =
            [...b.routes, ...(b.isDefault ? ["(default)"] : [])].join(", ") ||
            "only as backend:model";
          const signIn =
            b.signIn === undefined
              ? ""
              : b.signIn.signedIn
                ? `, signed in (${b.signIn.flow})${b.signIn.expiresAt ? ` until ${b.signIn.expiresAt}` : ""}`
                : `, not signed in (${b.signIn.flow})`;
          const head = `${b.name} (${b.type}${b.hasKey ? ", key set" : ""}${signIn}) ← ${via}`;
          return [head, ...b.targets.map((t) => `  - ${describeTarget(t)}`)].join("\n");
        });
        if (!pool) lines.push("(live pool state unavailable: this proxy has no GET /pool)");
        return okResult(
          ctx,
          compact({
            backends,
            defaultBackend: status.defaultBackend,
            poolAvailable: pool !== undefined,
          }),
          lines.join("\n") || "no backends configured",
        );
      }),
  );
}
