import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CliError, findUnknownOption, reportError } from "./action.js";

const report = (error: unknown) => {
  const out = new PassThrough();
  let text = "";
  out.on("data", (d) => {
    text += d;
  });
  const code = reportError(error, out);
  return { code, text };
};

describe("reportError", () => {
  it("prints a CliError as it is, with its exit code", () => {
    expect(report(new CliError("usage", "bad flag", { exitCode: 2 }))).toEqual({
      code: 2,
      text: "switchyard: bad flag\n",
    });
  });

  it("explains a file-system error by its path and code, without a stack trace", () => {
    const error = Object.assign(new Error("ENOTDIR: not a directory, mkdir '/tmp/f/usage'"), {
      code: "ENOTDIR",
      syscall: "mkdir",
      path: "/tmp/f/usage",
    });
    expect(report(error)).toEqual({
      code: 1,
      text: "switchyard: cannot mkdir /tmp/f/usage: a part of that path is a file, not a directory (check SWITCHYARD_HOME) (ENOTDIR)\n",
    });
  });

  it("names anything else as unexpected", () => {
    expect(report(new TypeError("x is undefined")).text).toBe(
      "switchyard: unexpected error: TypeError: x is undefined\n",
    );
  });
});

describe("findUnknownOption", () => {
  const args = {
    port: { type: "string" },
    "base-url": { type: "string" },
    keyEnv: { type: "string" },
    json: { type: "boolean" },
  } as const;
  it("accepts defined options in either spelling, negations, values and positionals", () => {
    expect(
      findUnknownOption(
        [
          "groq",
          "--port",
          "1",
          "--base-url=http://x",
          "--key-env",
          "K",
          "--no-json",
          "--key",
          "-",
        ].filter((a) => a !== "--key"),
        args,
      ),
    ).toBeUndefined();
    expect(
      findUnknownOption(["--baseUrl", "u", "--help", "-h", "--", "--anything"], args),
    ).toBeUndefined();
  });
  it("names the first unknown one, without its value", () => {
    expect(findUnknownOption(["--prot", "4000"], args)).toBe("--prot");
    expect(findUnknownOption(["--port", "1", "--bogus=secret"], args)).toBe("--bogus");
    expect(findUnknownOption(["-x"], args)).toBe("-x");
  });
});
