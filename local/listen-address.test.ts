// --host: a collector on every interface is reached from this machine's network address, prints URLs
// a browser can open, warns that the network can reach it, and still counts its own pages' events.
import { spawn } from "node:child_process";
import { networkInterfaces } from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { type RunningCollector, startCollector } from "./collect.ts";
import { postPageView } from "./collect-test-kit.ts";
import { listeningOn } from "./listen-address.ts";

const temp = () => tempFolder("ownstats-host-");
/** One IPv4 address of this machine that other machines can reach, where it has one. */
const networkAddress = Object.values(networkInterfaces())
  .flatMap((addresses) => addresses ?? [])
  .find((a) => !a.internal && a.family === "IPv4")?.address;

const post = postPageView;

describe("a collector on every interface (--host 0.0.0.0)", () => {
  let collector: RunningCollector | undefined;
  const origins = process.env.ALLOWED_ORIGINS;
  afterEach(async () => {
    await collector?.close();
    if (origins === undefined) delete process.env.ALLOWED_ORIGINS;
    else process.env.ALLOWED_ORIGINS = origins;
  });

  it.skipIf(networkAddress === undefined)(
    "gives a loopback URL to open and takes its own pages' events from the network address too",
    async () => {
      process.env.ALLOWED_ORIGINS = "https://example.com";
      collector = await startCollector({ port: 0, host: "0.0.0.0", data: temp(), allowOwnOrigin: true });
      const atNetwork = `http://${networkAddress}:${collector.port}`;
      expect(collector.url).toBe(`http://127.0.0.1:${collector.port}`);
      expect(collector.networkUrls).toContain(atNetwork);
      // A phone on the LAN opens the demo site at the network address: that is this server's own page.
      expect(await post(atNetwork, atNetwork)).toBe(202);
      expect(await post(collector.url, collector.url)).toBe(202);
      expect(await post(atNetwork, "https://elsewhere.example")).toBe(403);
    },
  );
});

it.skipIf(networkAddress === undefined)(
  "ownstats collect --host 0.0.0.0 is reached from the network, names its URLs and warns",
  async () => {
    const bin = fileURLToPath(new URL("../bin/ownstats.js", import.meta.url));
    const data = temp();
    const child = spawn(
      process.execPath,
      [bin, "collect", "--port", "0", "--host", "0.0.0.0", "--data", data],
      { env: { ...process.env, SINK: "", ALLOWED_ORIGINS: "" } },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      // The warning is the last line printed at the start.
      for (let waited = 0; !output.includes("warning:") && waited < 20_000; waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const port = /on the network: http:\/\/[^\s]+:(\d+)\n/.exec(output)?.[1];
      expect(port, output).toBeDefined();
      const atNetwork = `http://${networkAddress}:${port}`;
      expect(output).toContain(`on the network: ${atNetwork}\n`);
      // The first line says where it listens, and what another machine opens, not the loopback alone.
      const [first] = output.split("\n");
      expect(first).toMatch(
        new RegExp(
          `^ownstats collector listening on every interface \\(0\\.0\\.0\\.0\\), port ${port}: http://`,
        ),
      );
      expect(first).toContain(` from other machines`);
      expect(first).toContain(`http://127.0.0.1:${port} from this one`);
      expect(output).toContain(
        `warning: listening on 0.0.0.0, so any machine that reaches port ${port} can send events`,
      );
      expect(await post(atNetwork, "https://example.com")).toBe(202);
    } finally {
      child.kill("SIGINT");
      await exited;
    }
  },
  30_000,
);

it("says where a server on every interface listens when this machine has no network address", () => {
  expect(listeningOn({ host: "::", port: 8787, url: "http://127.0.0.1:8787", networkUrls: [] })).toBe(
    "every interface, IPv4 and IPv6 (::), port 8787: this machine has no network address, http://127.0.0.1:8787 from this one",
  );
  expect(listeningOn({ host: "127.0.0.1", port: 8787, url: "http://127.0.0.1:8787", networkUrls: [] })).toBe(
    "http://127.0.0.1:8787",
  );
});
