/** Compile a model glob (`*` any run of characters, `?` one character) to a case-insensitive RegExp. */
export function compileGlob(pattern: string): RegExp {
  let source = "";
  for (const char of pattern) {
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "i");
}

/** Number of literal (non-wildcard) characters: the more, the more specific the pattern. */
export function globSpecificity(pattern: string): number {
  let count = 0;
  for (const char of pattern) if (char !== "*" && char !== "?") count++;
  return count;
}

/** True when `pattern` has no wildcard. */
export function isLiteralGlob(pattern: string): boolean {
  return !pattern.includes("*") && !pattern.includes("?");
}
