/**
 * True when a request (any dialect) defines client tools (`tools`, or OpenAI's legacy
 * `functions`). The CLI backends refuse them: a vendor CLI runs only its own tools and has
 * no way to hand a call back to the client.
 */
export function hasClientTools(body: Record<string, unknown>): boolean {
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  return nonEmpty(body.tools) || nonEmpty(body.functions);
}
