// AWS list prices for us-east-1 that the cost estimate uses, each with where it was read and when.
// Prices change: re-check them in the AWS Pricing Calculator before relying on a figure.
// Only the first pricing tier is listed; the estimate says so when a volume goes past it.

export interface Price {
  /** US dollars per `unit`. */
  usd: number;
  unit: string;
  /** Where the price is published (the AWS pricing page) and, when read elsewhere, the page that quoted it. */
  source: string;
  /** When the figure was checked against the source, YYYY-MM-DD. */
  checked: string;
  /** Upper bound of the tier this price applies to, in `unit`s per month, when tiered. */
  firstTierUpTo?: number;
  /** Anything that limits trust in the figure. */
  caveat?: string;
}

export interface FreeTier {
  amount: number;
  unit: string;
  /** "always" free every month, or only in an account's first 12 months (older accounts). */
  kind: "always" | "first-12-months";
  source: string;
}

const checked = "2026-11-26";
const checkedOnDemand = "2026-11-27";

export const PRICES = {
  httpApiRequest: {
    usd: 1.0 / 1e6,
    unit: "request",
    source:
      "https://aws.amazon.com/api-gateway/pricing/ (quoted by https://www.apigatewaycost.com/aws; 512 KB metering: AWS whitepaper 'Best practices for private APIs', cost optimization)",
    checked,
    firstTierUpTo: 300e6,
  },
  lambdaRequest: {
    usd: 0.2 / 1e6,
    unit: "invocation",
    source: "https://aws.amazon.com/lambda/pricing/",
    checked,
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: "GB-s",
    source: "https://aws.amazon.com/lambda/pricing/",
    checked,
    firstTierUpTo: 7.5e9,
  },
  kinesisShardHour: {
    usd: 0.015,
    unit: "shard-hour",
    source: "https://aws.amazon.com/kinesis/data-streams/pricing/",
    checked,
  },
  kinesisPutPayloadUnit: {
    usd: 0.014 / 1e6,
    unit: "PUT unit",
    source: "https://aws.amazon.com/kinesis/data-streams/pricing/",
    checked,
  },
  // On-demand Standard. The stored copy of the AWS page shows the billing (a fee per stream-hour, data
  // in rounded up to 1 KB a record, data read) but not the rates, which come from the AWS price list as
  // quoted by https://www.trek10.com/blog/amazon-kinesis-data-streams-on-demand-vs.-provisioned-billing-mode-cost-comparison
  // and others (reads are not rounded).
  kinesisOnDemandStreamHour: {
    usd: 0.04,
    unit: "stream-hour",
    source: "https://aws.amazon.com/kinesis/data-streams/pricing/ (rate as quoted by Trek10)",
    checked: checkedOnDemand,
    caveat: "the rate was not on the stored copy of the AWS page; its billing terms were",
  },
  kinesisOnDemandIngestedGb: {
    usd: 0.08,
    unit: "GB",
    source:
      "https://aws.amazon.com/kinesis/data-streams/pricing/ (1 KB rounding read on the page; rate as quoted by Trek10)",
    checked: checkedOnDemand,
    caveat: "the rate was not on the stored copy of the AWS page; the 1 KB rounding was",
  },
  kinesisOnDemandRetrievedGb: {
    usd: 0.04,
    unit: "GB",
    source: "https://aws.amazon.com/kinesis/data-streams/pricing/ (rate as quoted by Trek10)",
    checked: checkedOnDemand,
    caveat: "the rate was not on the stored copy of the AWS page; its billing terms were",
  },
  firehoseIngestedGb: {
    usd: 0.029,
    unit: "GB",
    source:
      "https://aws.amazon.com/firehose/pricing/ (5 KB rounding read on the page; the rate as widely quoted)",
    checked,
    firstTierUpTo: 500 * 1024,
    caveat: "the $0.029/GB rate was not found on a stored copy of the AWS page; the 5 KB rounding was",
  },
  kmsRequest: {
    usd: 0.03 / 10_000,
    unit: "request",
    source:
      "https://aws.amazon.com/kms/pricing/ (the aws/kinesis key is free, its API calls are not: https://docs.aws.amazon.com/streams/latest/dev/costs-performance.html)",
    checked,
  },
  kmsKeyMonth: {
    usd: 1.0,
    unit: "key-month",
    source:
      "https://aws.amazon.com/kms/pricing/ (each customer-managed key; automatic rotation, off for the alarm topic's key, adds $1 per new key version)",
    checked,
  },
  s3StandardGbMonth: {
    usd: 0.023,
    unit: "GB-month",
    source: "https://aws.amazon.com/s3/pricing/",
    checked,
    firstTierUpTo: 50 * 1024,
  },
  s3PutOrList: {
    usd: 0.005 / 1000,
    unit: "request",
    source: "https://aws.amazon.com/s3/pricing/",
    checked,
  },
  s3Get: {
    usd: 0.0004 / 1000,
    unit: "request",
    source: "https://aws.amazon.com/s3/pricing/",
    checked,
  },
  logsIngestedGb: {
    usd: 0.5,
    unit: "GB",
    source:
      "https://aws.amazon.com/cloudwatch/pricing/ (quoted for us-east-1 by https://c3x.dev/blog/cloudwatch-logs-cost-optimization, June 2026)",
    checked,
  },
  cloudwatchAlarmMonth: {
    usd: 0.1,
    unit: "alarm-month",
    source: "https://aws.amazon.com/cloudwatch/pricing/ (standard-resolution metric alarm)",
    checked,
  },
  dataTransferOutGb: {
    usd: 0.09,
    unit: "GB",
    source: "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer",
    checked,
    firstTierUpTo: 10 * 1024,
  },
} satisfies Record<string, Price>;

export type PriceBook = Record<keyof typeof PRICES, Price>;

export const FREE_TIERS = {
  lambdaRequests: {
    amount: 1e6,
    unit: "invocations",
    kind: "always",
    source: "https://aws.amazon.com/lambda/pricing/",
  },
  lambdaGbSeconds: {
    amount: 400_000,
    unit: "GB-seconds",
    kind: "always",
    source: "https://aws.amazon.com/lambda/pricing/",
  },
  logsGb: {
    amount: 5,
    unit: "GB of logs",
    kind: "always",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
  },
  alarms: {
    amount: 10,
    unit: "alarm metrics",
    kind: "always",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
  },
  dataTransferOutGb: {
    amount: 100,
    unit: "GB out",
    kind: "always",
    source: "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer",
  },
  kmsRequests: {
    amount: 20_000,
    unit: "requests",
    kind: "always",
    source: "https://aws.amazon.com/kms/pricing/",
  },
  httpApiRequests: {
    amount: 1e6,
    unit: "requests",
    kind: "first-12-months",
    source: "https://aws.amazon.com/api-gateway/pricing/",
  },
  s3Storage: { amount: 5, unit: "GB", kind: "first-12-months", source: "https://aws.amazon.com/s3/pricing/" },
  s3Puts: {
    amount: 2000,
    unit: "requests",
    kind: "first-12-months",
    source: "https://aws.amazon.com/s3/pricing/",
  },
  s3Gets: {
    amount: 20_000,
    unit: "requests",
    kind: "first-12-months",
    source: "https://aws.amazon.com/s3/pricing/",
  },
} satisfies Record<string, FreeTier>;

/** The article this project grew from: about $12 a month, $11 of it the Kinesis shard. */
export const ARTICLE_MONTHLY_USD = 12;
