/** One leaf-level difference between two JSON values. */
export interface ValueChange {
  /** Where, as a dotted path (`properties.file_path.type`, `required[1]`); "" for the root. */
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const join = (path: string, key: string) =>
  path === ""
    ? key
    : /^[A-Za-z_$][\w$-]*$/.test(key)
      ? `${path}.${key}`
      : `${path}[${JSON.stringify(key)}]`;

/** Structural diff of two JSON values: objects by key, arrays by index, everything else by value. */
export function diffJson(before: unknown, after: unknown, path = ""): ValueChange[] {
  if (isObject(before) && isObject(after)) {
    const out: ValueChange[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const p = join(path, key);
      if (!(key in after)) out.push({ path: p, kind: "removed", before: before[key] });
      else if (!(key in before)) out.push({ path: p, kind: "added", after: after[key] });
      else out.push(...diffJson(before[key], after[key], p));
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: ValueChange[] = [];
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}[${i}]`;
      if (i >= after.length) out.push({ path: p, kind: "removed", before: before[i] });
      else if (i >= before.length) out.push({ path: p, kind: "added", after: after[i] });
      else out.push(...diffJson(before[i], after[i], p));
    }
    return out;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, kind: "changed", before, after }];
}
