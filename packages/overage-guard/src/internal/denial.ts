import type { CheckDenied, Halt } from "../types.js";

/** The `check()` denial for an active halt: why, since when, how and when it lifts. */
export function haltDenial(halt: Halt, resumeInstructions: string): CheckDenied {
  const until = halt.until === undefined ? undefined : new Date(halt.until).toISOString();
  const lifts =
    until === undefined
      ? ""
      : halt.cause === "budget"
        ? `; otherwise requests resume at ${until} when the budget period ends`
        : `; otherwise requests resume at ${until} when the cooldown ends`;
  const d: CheckDenied = {
    allowed: false,
    code: "halted",
    reason: halt.reason,
    since: new Date(halt.since).toISOString(),
    resumeHint: `${resumeInstructions}${lifts}`,
  };
  if (until !== undefined) d.until = until;
  if (halt.budget) d.budget = halt.budget;
  if (halt.signal) d.signal = halt.signal;
  return d;
}
