// The bench's baseline (its own process): a bare node:http server that reads the body,
// forwards it with an undici Pool to the same path upstream and pipes the answer back.
// argv[2] is the upstream origin.
import { createServer } from "node:http";
import { Pool } from "undici";

const pool = new Pool(process.argv[2], { connections: 64 });
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  try {
    const up = await pool.request({
      path: req.url,
      method: "POST",
      body: Buffer.concat(chunks),
      headers: { "content-type": "application/json", authorization: "Bearer bench" },
    });
    res.writeHead(up.statusCode, { "content-type": up.headers["content-type"] });
    for await (const c of up.body) res.write(c);
    res.end();
  } catch {
    res.writeHead(502);
    res.end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));

// Exit on SIGTERM through process.exit, so a `--cpu-prof` profile is written.
process.on("SIGTERM", () => process.exit(0));
