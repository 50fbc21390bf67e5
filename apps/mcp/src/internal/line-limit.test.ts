import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { limitLineLength } from "./line-limit.js";

async function run(chunks: string[], max: number) {
  let overlong = 0;
  const filter = limitLineLength(max, () => {
    overlong++;
  });
  const out: Buffer[] = [];
  Readable.from(chunks.map((c) => Buffer.from(c))).pipe(filter);
  for await (const chunk of filter) out.push(chunk as Buffer);
  return { text: Buffer.concat(out).toString(), overlong };
}

describe("limitLineLength", () => {
  it("passes whole lines through, however they are chunked", async () => {
    expect(await run(['{"a":', "1}\n{", '"b":2}\n', "tail"], 20)).toEqual({
      text: '{"a":1}\n{"b":2}\ntail',
      overlong: 0,
    });
  });

  it("drops an overlong line, chunked or not, and keeps the lines around it", async () => {
    const long = "x".repeat(50);
    expect(await run([`ok1\n${long.slice(0, 30)}`, `${long.slice(30)}\nok2\n`], 20)).toEqual({
      text: "ok1\nok2\n",
      overlong: 1,
    });
    expect(await run([`${long}\n`, "ok\n"], 20)).toEqual({ text: "ok\n", overlong: 1 });
  });
});
