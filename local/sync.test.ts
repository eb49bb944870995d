import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { folderPrefix, inRawLayout, listingStart, localPath, s3Client } from "./sync.ts";

describe("sync localPath", () => {
  it("maps a key under the prefix into DATA/raw/", () => {
    expect(localPath("/d", "raw/", "raw/year=2026/month=01/day=02/hour=03/a.gz")).toBe(
      join("/d", "raw", "year=2026", "month=01", "day=02", "hour=03", "a.gz"),
    );
  });

  it("refuses keys that would climb out of raw/ or name a folder", () => {
    for (const key of ["raw/../escape.gz", "raw/year=2026/../../x.gz", "raw/", "raw/a\\..\\b.gz"])
      expect(() => localPath("/d", "raw/", key)).toThrow(/refusing S3 key/);
  });
});

describe("sync listingStart", () => {
  it("starts listing 25 hour folders before the last key's (a day of Firehose retries and a buffer), across a month's end", () => {
    expect(listingStart("raw/year=2026/month=03/day=01/hour=01/ownstats-direct-1-x.gz")).toBe(
      "raw/year=2026/month=02/day=28/hour=00/",
    );
  });

  it("starts just after a key outside the hourly layout, and at the start with none", () => {
    expect(listingStart("exports/a.gz")).toBe("exports/a.gz");
    expect(listingStart(undefined)).toBeUndefined();
  });
});

describe("sync localPath under a narrower prefix", () => {
  it("keeps the year= folder when the prefix names a year, a day or an hour", () => {
    const key = "raw/year=2026/month=01/day=02/hour=03/a.gz";
    const expected = join("/d", "raw", "year=2026", "month=01", "day=02", "hour=03", "a.gz");
    for (const prefix of [
      "raw/year=2026/",
      "raw/year=2026/month=01/day=02/",
      "raw/year=2026/month=01/day=02/hour=03/",
    ])
      expect(localPath("/d", prefix, key)).toBe(expected);
    expect(localPath("/d", "year=2026/", "year=2026/month=01/day=02/hour=03/a.gz")).toBe(expected);
  });
});

describe("sync folderPrefix", () => {
  it("ends a prefix naming a folder with its slash, and leaves one that ends mid-value or is empty", () => {
    expect(["raw", "raw/", "exports/raw"].map(folderPrefix)).toEqual(["raw/", "raw/", "exports/raw/"]);
    for (const prefix of ["", "raw/year=2026", "raw/year=2026/month=0"])
      expect(folderPrefix(prefix)).toBe(prefix);
  });
});

describe("sync inRawLayout", () => {
  it("takes only objects in the year=/month=/day=/hour= folders under the prefix's root", () => {
    const key = "raw/year=2026/month=01/day=02/hour=03/a.gz";
    for (const prefix of ["raw/", "raw", "raw/year=2026/month=01/"])
      expect(inRawLayout(prefix, key)).toBe(true);
    // A prefix that stops mid-name or above raw/ would put the objects where no build reads them.
    for (const prefix of ["", "ra"]) expect(inRawLayout(prefix, key), prefix).toBe(false);
    for (const other of [
      "raw/README.txt",
      "raw/year=2026/month=01/day=02/a.gz",
      "raw/year=2026/month=01/day=02/hour=03/processing-failed/b.gz",
      "errors/processing-failed/year=2026/month=01/day=02/hour=03/b.gz",
    ])
      expect(inRawLayout("raw/", other), other).toBe(false);
  });

  it("takes the region of the profile in the AWS config file when AWS_REGION is unset, else us-east-1", async () => {
    const saved = { ...process.env };
    const folder = tempFolder("ownstats-aws-config-");
    try {
      for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"]) delete process.env[name];
      process.env.AWS_CONFIG_FILE = join(folder, "config");
      writeFileSync(process.env.AWS_CONFIG_FILE, "[profile reports]\nregion = eu-central-1\n");
      process.env.AWS_PROFILE = "reports";
      expect(await (await s3Client()).config.region()).toBe("eu-central-1");
      delete process.env.AWS_PROFILE;
      expect(await (await s3Client()).config.region()).toBe("us-east-1");
      process.env.AWS_REGION = "ap-south-1";
      expect(await (await s3Client()).config.region()).toBe("ap-south-1");
    } finally {
      process.env = saved;
    }
  });
});
