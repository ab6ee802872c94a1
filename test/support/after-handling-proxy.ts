/**
 * An HTTPS proxy in front of the emulator that forwards every request and, for the first one
 * `select` picks, lets Graph handle it and then answers differently: drops the connection, or
 * answers 503. A request that took effect although the client never learnt it, or was told it
 * failed (the emulator's own faults strike before handling, so they cannot show this).
 */

import * as https from "https";
import type { AddressInfo } from "net";
import type { ServerResponse, IncomingMessage } from "http";
import { defaultHome } from "../../emulator/index";
import { loadServerTls } from "../../emulator/identity/ca";

/** What the proxy does instead of passing Graph's answer on. */
type AfterHandling = "drop connection" | "answer 503";

interface AfterHandlingProxy {
  origin: string;
  /** How many answers it replaced (at most one). */
  replaced: () => number;
  close: () => Promise<void>;
}

export async function afterHandlingProxy(target: string, select: (method: string, path: string) => boolean, instead: AfterHandling): Promise<AfterHandlingProxy> {
  const tls = loadServerTls(defaultHome());
  let replaced = 0;
  const replace = (req: IncomingMessage, res: ServerResponse): void => {
    if (instead === "drop connection") {
      req.socket.destroy();
      return;
    }
    const error = { error: { code: "serviceNotAvailable", message: "The service is temporarily unavailable." } };
    res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify(error));
  };
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    // The proxy's promise is dropped on purpose, as the listener's was: a failure is an unhandled
    // rejection, which fails the run.
    req.on("end", () => {
      void (async () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k, v]) => typeof v === "string" && !["host", "connection", "content-length"].includes(k)),
        ) as Record<string, string>;
        const upstream = await fetch(`${target}${req.url}`, {
          method: req.method,
          headers,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        if (select(req.method ?? "GET", (req.url ?? "").split("?")[0]) && replaced === 0) {
          replaced++;
          replace(req, res);
          return;
        }
        const out: Record<string, string> = {};
        upstream.headers.forEach((v, k) => {
          if (!["content-encoding", "transfer-encoding", "connection", "content-length"].includes(k)) out[k] = v;
        });
        res.writeHead(upstream.status, out).end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    replaced: () => replaced,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
