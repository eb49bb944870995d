// What the cost estimate is asked about: traffic and the stack's settings, checked against the
// ranges the stack and Firehose accept before anything is priced.
import { KINESIS_MODES, type KinesisMode } from "./kinesis.ts";

export interface CostInput {
  /** Events collected per month. */
  events: number;
  kinesis: boolean;
  /** The stack's kinesis_stream_mode, when `kinesis` is on. @default "provisioned" (the stack's default) */
  kinesisMode?: KinesisMode;
  /** Firehose buffering interval, 0–900 s. */
  bufferSeconds: number;
  /** Firehose buffer size, 1–128 MiB of data before compression. @default 128 (the stack's default) */
  bufferMb?: number;
  /** Events the tracker sends in one request, 1–50. */
  eventsPerRequest: number;
  /** The stack's encrypt_alarm_topic: the alarm topic under a KMS key of its own. @default false (the stack's default) */
  alarmTopicKey?: boolean;
}

export const LIMITS = {
  bufferSeconds: { min: 0, max: 900 },
  /** Firehose's own limits for an S3 destination. */
  bufferMb: { min: 1, max: 128 },
  eventsPerRequest: { min: 1, max: 50 },
  events: { min: 0, max: 1e12 },
};

/** Throws an error naming the bad input; the CLI turns it into a usage message. */
export function checkInput(input: CostInput): void {
  const whole = (name: string, value: number, { min, max }: { min: number; max: number }) => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  };
  whole("--events", input.events, LIMITS.events);
  whole("--buffer-seconds", input.bufferSeconds, LIMITS.bufferSeconds);
  if (input.bufferMb !== undefined) whole("--buffer-mb", input.bufferMb, LIMITS.bufferMb);
  whole("--events-per-request", input.eventsPerRequest, LIMITS.eventsPerRequest);
  if (input.kinesisMode !== undefined && !KINESIS_MODES.includes(input.kinesisMode))
    throw new RangeError(`--kinesis-mode must be ${KINESIS_MODES.join(" or ")}, got ${input.kinesisMode}`);
  if (input.kinesisMode === "on-demand" && !input.kinesis)
    throw new RangeError(
      "--kinesis-mode on-demand prices the Kinesis stream, which --kinesis off leaves out (off is the default): add --kinesis on",
    );
}

/** The stack's firehose_buffer_mb default. */
export const DEFAULT_BUFFER_MB = 128;

/** "300 s", with the size when it is not the default: "300 s / 1 MiB". */
export function bufferLabel({ bufferSeconds, bufferMb = DEFAULT_BUFFER_MB }: CostInput): string {
  return `${bufferSeconds} s${bufferMb === DEFAULT_BUFFER_MB ? "" : ` / ${bufferMb} MiB`}`;
}
