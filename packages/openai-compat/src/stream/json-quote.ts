/**
 * `JSON.stringify` of a string, for the short ones templates write most (ids, types, statuses,
 * model names): printable ASCII with no quote or backslash is its own JSON body, found by one
 * scan; anything else goes to `JSON.stringify`. A call to `JSON.stringify` costs ~100 ns,
 * several times the scan of a short string.
 */
export function quote(text: string): string {
  if (text.length > 64) return JSON.stringify(text);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(text);
  }
  return `"${text}"`;
}
