/**
 * Parses a Go-style duration as OpenAI and Groq send it (`6m0s`, `1s`, `20ms`, `1h2m3.5s`,
 * `7.66s`) into milliseconds. A bare number is seconds. `undefined` when malformed.
 * Hand-rolled rather than a regex: it runs on every response.
 */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  const end = value.length;
  if (end === 0) return undefined;
  let total = 0;
  let i = 0;
  while (i < end) {
    const start = i;
    let dot = false;
    for (; i < end; i++) {
      const c = value.charCodeAt(i);
      if (c === 46 /* . */ && !dot) dot = true;
      else if (c < 48 || c > 57) break;
    }
    if (i === start || (dot && i === start + 1)) return undefined;
    const amount = Number(value.slice(start, i));
    if (i === end) return start === 0 ? amount * 1_000 : undefined; // bare number = seconds
    const unit = unitAt(value, i);
    if (!unit) return undefined;
    total += amount * unit.ms;
    i += unit.length;
  }
  return total;
}

interface Unit {
  ms: number;
  length: number;
}
const HOUR: Unit = { ms: 3_600_000, length: 1 };
const MINUTE: Unit = { ms: 60_000, length: 1 };
const SECOND: Unit = { ms: 1_000, length: 1 };
const MILLI: Unit = { ms: 1, length: 2 };
const MICRO: Unit = { ms: 0.001, length: 2 };
const NANO: Unit = { ms: 0.000_001, length: 2 };

function unitAt(value: string, i: number): Unit | undefined {
  const c = value[i];
  const next = value[i + 1];
  if (c === "h") return HOUR;
  if (c === "m") return next === "s" ? MILLI : MINUTE;
  if (c === "s") return SECOND;
  if ((c === "u" || c === "µ") && next === "s") return MICRO;
  if (c === "n" && next === "s") return NANO;
  return undefined;
}
