/** The response header that lists what a translated Responses request left out. */
export const OMITTED_HEADER = "x-switchyard-omitted";

/** Headers telling the client what was left out; none when nothing was. */
export function omittedHeaders(omitted: readonly string[]): Record<string, string> | undefined {
  return omitted.length === 0 ? undefined : { [OMITTED_HEADER]: omitted.join(", ") };
}
