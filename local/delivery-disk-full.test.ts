// The delivery on a disk that something else has filled: the spool keeps delivered segments for 24 h
// (as Kinesis keeps records), but their events are in raw/ already. They are what goes first, so
// that the acknowledged events still waiting can land.
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { canMountTmpfs, runScriptUnder, tmpfsAt } from "../test/user-namespace.ts";

const spoolModule = new URL("./spool.ts", import.meta.url).href;
const deliveryModule = new URL("./delivery.ts", import.meta.url).href;

describe("SpoolDelivery on a full disk", () => {
  it.skipIf(!canMountTmpfs)(
    "removes delivered spool segments before their retention to land the events that wait",
    () => {
      const data = tempFolder("ownstats-delivery-full-");
      const script = `
        const { readdirSync, readFileSync, writeFileSync } = await import("node:fs");
        const { join } = await import("node:path");
        const { gunzipSync } = await import("node:zlib");
        const { Spool } = await import(${JSON.stringify(spoolModule)});
        const { readCheckpoint, SpoolDelivery } = await import(${JSON.stringify(deliveryModule)});
        const data = ${JSON.stringify(data)};
        const spool = await Spool.open(join(data, "spool"), { segmentBytes: 16 * 1024 });
        const log = [];
        const delivery = new SpoolDelivery({ data, spool, intervalMs: 20, log: (l) => log.push(l) });
        const line = (i) => Buffer.from(JSON.stringify({ i, ingest_ts: new Date().toISOString(), pad: "x".repeat(2000) }) + "\\n");
        for (let i = 0; i < 100; i++) await spool.append(line(i));
        await delivery.deliver();
        for (let i = 100; i < 105; i++) await spool.append(line(i));
        try { writeFileSync(join(data, "fill"), Buffer.alloc(64 << 20)); } catch {}
        delivery.start();
        const head = spool.head;
        for (let waited = 0; waited < 3000; waited += 50) {
          const at = await readCheckpoint(join(data, "spool"));
          if (at?.segment === head.segment && at.offset === head.offset) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const raw = join(data, "raw");
        const landed = readdirSync(raw, { recursive: true })
          .filter((name) => name.endsWith(".gz"))
          .flatMap((name) => gunzipSync(readFileSync(join(raw, name))).toString("utf8").split("\\n").filter(Boolean))
          .map((l) => JSON.parse(l).i)
          .sort((a, b) => a - b);
        console.log(JSON.stringify({ landed, log }));
        process.exit(0);`;
      const child = runScriptUnder(tmpfsAt(data, "size=512k"), script, 30_000);
      expect(child.stderr).toBe("");
      const { landed, log } = JSON.parse(child.stdout);
      expect(landed).toEqual(Array.from({ length: 105 }, (_, i) => i));
      expect(log).toEqual([
        expect.stringMatching(
          /^delivery: the disk is full: removed \d+ spool segments? already delivered \(kept for 24 h otherwise\), to land the events that wait$/,
        ),
      ]);
    },
  );
});
