import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { CliError } from "./action.js";

/**
 * Read a key from stdin without it touching shell history: piped input is read to EOF;
 * on a terminal the user is prompted and nothing is echoed.
 */
export async function readSecretFromStdin(options: {
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WritableStream;
  prompt: string;
}): Promise<string> {
  const { stdin = process.stdin, stderr = process.stderr, prompt } = options;
  let text: string;
  if (stdin.isTTY) {
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    const rl = createInterface({ input: stdin, output: muted, terminal: true });
    stderr.write(prompt);
    // Ctrl-C at the hidden prompt cancels (exit 130, as for any interrupted command); without
    // a SIGINT listener readline only pauses and node exits 13 on the unsettled await.
    const answer = await new Promise<string | undefined>((resolve) => {
      rl.once("SIGINT", () => resolve(undefined));
      rl.question("", resolve);
    });
    rl.close();
    stderr.write("\n");
    if (answer === undefined) throw new CliError("usage", "cancelled", { exitCode: 130 });
    text = answer;
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    text = Buffer.concat(chunks).toString("utf8");
  }
  const key = text.trim();
  if (!key) throw new CliError("usage", "no key on stdin (pipe it in, or paste it when asked)");
  if (/\s/.test(key))
    throw new CliError("usage", "the key on stdin contains whitespace; expected one key");
  return key;
}
