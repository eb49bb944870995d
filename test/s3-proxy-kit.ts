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
