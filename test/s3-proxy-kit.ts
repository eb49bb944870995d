// A proxy in front of s3rver for the tests of `ownstats sync`, to cut, stall or hold what S3 answers.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Forwards every request to `target`; `answered` sends each answer on to the client (its status and
 * headers are already written), as it is or altered.
 */
export async function s3Proxy(
  target: string,
  answered: (req: IncomingMessage, answer: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; url: string }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answered(req, answer, res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Forwards to s3rver, holding the GET of `victim` after half its body until `release`. `served` lists
 * the keys whose GET was answered in full, in the order their answers ended.
 */
export async function holdingProxy(target: string, victim: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached = () => {};
  const holding = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const served: string[] = [];
  const proxy = await s3Proxy(target, (req, answer, res) => {
    if (req.method !== "GET" || !req.url?.includes(victim)) {
      if (req.method === "GET") res.on("finish", () => served.push(keyPath(req)));
      return void answer.pipe(res);
    }
    const body: Buffer[] = [];
    answer.on("data", (chunk: Buffer) => body.push(chunk));
    answer.on("end", async () => {
      const whole = Buffer.concat(body);
      res.write(whole.subarray(0, whole.length / 2));
      reached();
      await released;
      res.end(whole.subarray(whole.length / 2), () => served.push(keyPath(req)));
    });
  });
  return { ...proxy, holding, release, served };
}

/** The path a request names, decoded and without its query (the SDK adds `?x-id=GetObject`). */
const keyPath = (req: IncomingMessage) => decodeURIComponent((req.url ?? "").split("?")[0] as string);
