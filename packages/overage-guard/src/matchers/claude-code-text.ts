import type { SignalMatch } from "./types.js";

/**
 * Line prefixes the Claude Code CLI prints when a subscription limit or paid extra usage is
 * exhausted (taken from the CLI's own list of usage-limit messages, v2.1).
 */
const CREDIT_PREFIXES = [
  "You're out of extra usage",
  "You're out of usage credits",
  "Your org is out of usage",
  "Your group's usage limit is set to $0",
];
const LIMIT_PREFIXES = ["You've hit your", "You've reached your"];
const REQUIRES_CREDITS =
  /^(?:Fable|Haiku|Mythos|Opus|Sonnet)(?: [^\u00B7\n]{1,40})? requires usage credits\./;
/** Older CLIs printed `Claude AI usage limit reached|<unix seconds>`. */
const LEGACY = /^Claude AI usage limit reached(?:\|(\d{9,11}))?/;
const RESETS = /\bresets ([^\n()]{1,40}?)(?: \(([A-Za-z_/+-]{1,40})\))?\s*$/;

function normalise(line: string): string {
  // The CLI may print a typographic apostrophe; compare on the ASCII one.
  return line.trim().replace(/[\u2018\u2019]/g, "'");
}

function resetsSuffix(line: string): string {
  const m = RESETS.exec(line);
  if (!m?.[1]) return "";
  return ` (resets ${m[1].trim()}${m[2] ? ` ${m[2]}` : ""})`;
}

/**
 * Recognise the Claude Code CLI's usage-limit / "out of extra usage" text in any line of
 * `text` (its result message or stderr). Only whole-line prefixes match, so a model's answer
 * that merely mentions usage limits mid-sentence does not.
 */
export function matchClaudeCodeUsageText(text: string): SignalMatch | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = normalise(raw).replace(/^(?:Error|API Error):\s*/, "");
    if (!line) continue;
    if (CREDIT_PREFIXES.some((p) => line.startsWith(p)) || REQUIRES_CREDITS.test(line)) {
      return {
        kind: "credits-exhausted",
        detail: `claude: paid usage exhausted${resetsSuffix(line)}`,
      };
    }
    if (LIMIT_PREFIXES.some((p) => line.startsWith(p))) {
      return { kind: "usage-limit", detail: `claude: usage limit reached${resetsSuffix(line)}` };
    }
    const legacy = LEGACY.exec(line);
    if (legacy) {
      const at = legacy[1] ? ` (resets ${new Date(Number(legacy[1]) * 1000).toISOString()})` : "";
      return { kind: "usage-limit", detail: `claude: usage limit reached${at}` };
    }
  }
  return undefined;
}
