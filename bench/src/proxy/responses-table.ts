import { type CellResult, median, type Verdicts } from "./report.js";

/** The Responses paths may cost at most this multiple of the translated path with the same upstream. */
export const RESPONSES_LIMIT = 1.1;

/** Each Responses path and the translated path that reads the same upstream stream. */
const PAIRS = [
  { responses: "responses-to-anthropic", translated: "openai-to-anthropic" },
  { responses: "responses-to-chat", translated: "anthropic-to-openai" },
] as const;

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "–");

/** switchyard ÷ bare pipe per round, so that a round's machine state cancels out. */
const ratios = (c: CellResult) =>
  c.ours.map((s, i) => s.cpuPerRequest / (c.bare[i]?.cpuPerRequest ?? Number.NaN));

/**
 * Prints the Responses paths against the existing translated paths (issue #15: within 10 %).
 * Both of a pair send the upstream the same exchange, so their bare pipes do the same work:
 * the figure judged is the Responses path's CPU ratio to its bare pipe over the translated
 * path's, per round (the bench interleaves the paths' rounds, so a round of each ran in the
 * same stretch of time), median over the rounds. The answer's size is shown beside it, with the CPU per KB written: a Responses stream
 * says more per delta (each event repeats its type, item id and sequence number, and the
 * closing events repeat the whole text) than Chat Completions or Anthropic events do.
 */
export function printResponsesTable(cells: CellResult[], out: Verdicts): void {
  const rows: string[] = [];
  for (const pair of PAIRS) {
    for (const r of cells.filter((c) => c.pathId === pair.responses && c.mode === "switchyard")) {
      const t = cells.find(
        (c) => c.pathId === pair.translated && c.kindId === r.kindId && c.mode === r.mode,
      );
      if (t === undefined) continue;
      // Per round: the two paths ran in the same stretch of time (interleaved rounds), so
      // each round's ratio of ratios cancels the machine's state at that moment.
      const relative = median(
        ratios(r)
          .map((x, i) => x / (ratios(t)[i] ?? Number.NaN))
          .filter(Number.isFinite),
      );
      const ok = relative <= RESPONSES_LIMIT;
      if (ok) out.pass += 1;
      else out.fail.push(`Responses ${r.path} ${r.kind} ${f(relative)}× ${t.path}`);
      const cpu = (c: CellResult) => median(c.ours.map((s) => s.cpuPerRequest));
      const kb = (c: CellResult) => median(c.ours.map((s) => s.responseBytes)) / 1024;
      rows.push(
        `| ${r.path} | ${t.path} | ${r.kind} | ${f(cpu(r), 0)} / ${f(cpu(t), 0)} | ${f(relative)}× | ${ok ? "pass" : "**FAIL**"} | ${f(kb(r), 1)} / ${f(kb(t), 1)} | ${f(cpu(r) / kb(r), 1)} / ${f(cpu(t) / kb(t), 1)} |`,
      );
    }
  }
  if (rows.length === 0) return;
  console.log(
    `\n### Responses paths against the translated path with the same upstream (CPU ratio to each one's bare pipe, ≤ ${RESPONSES_LIMIT}×)\n`,
  );
  console.log(
    "| Responses path | translated path | kind | µs/req (Responses / translated) | relative | verdict | answer KB | µs per answer KB |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
}
