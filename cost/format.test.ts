import { describe, expect, it } from "vitest";
import { estimateCost } from "./estimate.ts";
import {
  compareWithArticle,
  formatEstimate,
  markdownVolumeTable,
  quantity,
  unitPrice,
  usd,
} from "./format.ts";
import { PRICES } from "./prices.ts";

describe("formatting", () => {
  it("shows dollars with cents above a dollar and four decimals below", () => {
    expect(usd(10.954)).toBe("$10.95");
    expect(usd(0.03333)).toBe("$0.0333");
    expect(usd(0)).toBe("$0");
    expect(usd(0.00001)).toBe("<$0.0001");
  });

  it("scales unit prices to read as cents", () => {
    expect(unitPrice(PRICES.httpApiRequest)).toBe("$1.00 per 1M request");
    expect(unitPrice(PRICES.s3Get)).toBe("$0.40 per 1M request");
    expect(unitPrice(PRICES.kinesisShardHour)).toBe("$0.015 per shard-hour");
  });

  it("groups large quantities and keeps four digits of small ones", () => {
    expect(quantity(33334)).toBe("33,334");
    expect(quantity(0.476837)).toBe("0.4768");
  });

  it("compares with the article's $12", () => {
    expect(compareWithArticle(0.12)).toContain("100× less");
    expect(compareWithArticle(24)).toContain("2.0× more");
  });

  it("gives no ratio to an estimate of nothing", () => {
    expect(compareWithArticle(0)).toBe(
      "The article's pipeline: about $12/month ($11 of it the Kinesis shard). This estimate: $0/month.",
    );
  });

  it("renders a markdown row per volume", () => {
    const table = markdownVolumeTable([10_000, 100_000], { bufferSeconds: 300, eventsPerRequest: 3 }).split(
      "\n",
    );
    expect(table).toHaveLength(4);
    expect(table[0]).toContain("| Kinesis on, provisioned | Kinesis on, on-demand |");
    // On-demand at 100,000 events of 3 per request: $0.1047 + $29.20 + 100,000 × 1 KB × $0.08/GB
    // + 100,000 × 500 B × $0.04/GB + the stream's KMS calls, about $29.39
    expect(table[3]).toMatch(/^\| 100,000 \| \$0\.1047 \| \$0\.0908 \| \$11\.\d\d \| \$29\.\d\d \|/);
  });

  it("names every always-free allowance the second column applies, KMS's included", () => {
    // With the stream on, 21,900 KMS calls a month: the column bills only those past the 20,000 free.
    const estimate = estimateCost({
      events: 100_000,
      kinesis: true,
      bufferSeconds: 300,
      eventsPerRequest: 3,
    });
    const kms = estimate.lines.find((l) => l.id === "kinesisKms");
    expect(kms?.usdAlwaysFree).toBeLessThan(kms?.usd ?? 0);
    const footnote = formatEstimate(estimate)
      .split("\n")
      .filter((line, i, all) => line.startsWith("Free tiers") || all[i - 1]?.startsWith("Free tiers"))
      .join(" ");
    expect(footnote).toContain("KMS 20,000 requests");
  });
});
