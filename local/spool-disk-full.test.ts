// The spool on a disk that fills while the collector runs: a refused append may leave half a line at
// the end of its segment, so the spool goes on in a new one. When the disk cannot take even that new
// file (its files are used up as well as its room), appends are refused naming the full disk, and
// the first append once there is room again is taken.
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { canMountTmpfs, runScriptUnder, tmpfsAt } from "../test/user-namespace.ts";

const spoolModule = new URL("./spool.ts", import.meta.url).href;

describe("Spool on a full disk", () => {
  it.skipIf(!canMountTmpfs)(
    "names the full disk when it cannot start a new segment, and takes the first append once there is room",
    () => {
      const root = tempFolder("ownstats-spool-full-");
      const script = `
        const { rmSync, writeFileSync } = await import("node:fs");
        const { join } = await import("node:path");
        const { readSpoolLines, Spool } = await import(${JSON.stringify(spoolModule)});
        const root = ${JSON.stringify(root)};
        const dir = join(root, "spool");
        const spool = await Spool.open(dir);
        const line = (i) => Buffer.from(JSON.stringify({ i, pad: "x".repeat(5000) }) + "\\n");
        const outcome = (i) => spool.append(line(i)).then(() => "stored", (error) => error.message);
        const first = await outcome(0);
        // Every block taken, then every file.
        try { writeFileSync(join(root, "fill"), Buffer.alloc(1 << 20)); } catch {}
        let files = 0;
        try { for (;;) writeFileSync(join(root, "file" + files++), ""); } catch {}
        const refused = [await outcome(1), await outcome(2)];
        // What the spool does after a refusal (its attempt at a new segment) is over by then.
        await new Promise((resolve) => setTimeout(resolve, 200));
        rmSync(join(root, "fill"));
        rmSync(join(root, "file0"));
        const again = await outcome(3);
        await spool.close();
        // The refused append's torn line, which the delivery steps over, is left out.
        const whole = (l) => { try { return [JSON.parse(l).i]; } catch { return []; } };
        const stored = (await readSpoolLines(dir)).flatMap(whole);
        console.log(JSON.stringify({ first, refused, again, stored }));`;
      const child = runScriptUnder(tmpfsAt(root, "size=64k,nr_inodes=32"), script, 20_000);
      expect(child.stderr).toBe("");
      const { first, refused, again, stored } = JSON.parse(child.stdout);
      expect(first).toBe("stored");
      expect(refused[0]).toMatch(/^ENOSPC: no space left on device, write/);
      expect(refused[1]).toMatch(/^ENOSPC: no space left on device, open '.*\.ndjson'$/);
      expect(again).toBe("stored");
      expect(stored).toEqual([0, 3]);
    },
  );
});
