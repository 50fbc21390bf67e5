import type { IncomingMessage } from "node:http";
import { ProxyError } from "./proxy-error.js";

/** One body being read: kept on its request, so the listeners are shared functions. */
interface BodyRead {
  maxBytes: number;
  size: number;
  /** The first chunk; the rest, if any, in `more` (most bodies are one chunk). */
  first: Buffer | undefined;
  more: Buffer[] | undefined;
  resolve(body: Buffer): void;
  reject(error: unknown): void;
}

const slot = Symbol("switchyard.bodyRead");
type Reading = IncomingMessage & { [slot]?: BodyRead | undefined };

const tooLarge = (maxBytes: number) =>
  new ProxyError("payload_too_large", `request body is larger than ${maxBytes} bytes`);

/** Takes the read off its request and its listeners off the request. */
function finish(req: Reading): BodyRead | undefined {
  const read = req[slot];
  req[slot] = undefined;
  req.off("data", onData);
  req.off("end", onEnd);
  req.off("error", onError);
  return read;
}

function onData(this: Reading, chunk: Buffer): void {
  const read = this[slot];
  if (read === undefined) return;
  read.size += chunk.length;
  if (read.size > read.maxBytes) {
    finish(this);
    this.pause();
    read.reject(tooLarge(read.maxBytes));
    return;
  }
  if (read.first === undefined) read.first = chunk;
  else if (read.more === undefined) read.more = [read.first, chunk];
  else read.more.push(chunk);
}

function onEnd(this: Reading): void {
  const read = finish(this);
  if (read === undefined) return;
  if (read.more !== undefined) read.resolve(Buffer.concat(read.more, read.size));
  else read.resolve(read.first ?? Buffer.alloc(0));
}

function onError(this: Reading, error: Error): void {
  const read = finish(this);
  read?.reject(new ProxyError("bad_request", "request body could not be read", { cause: error }));
}

/**
 * Reads a request body up to `maxBytes`. Over the cap it stops reading at once (checks
 * `content-length` first) and throws `payload_too_large`. The listeners are shared functions
 * and the state one object on the request: no closures per request.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    (req as Reading)[slot] = {
      maxBytes,
      size: 0,
      first: undefined,
      more: undefined,
      resolve,
      reject,
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
