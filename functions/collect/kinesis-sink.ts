// Kinesis Data Streams sink: PutRecords in chunks of at most 500 records and 5 MiB, partition
// key session_id (a session's events stay in order on one shard), failed records retried. Each record
// ends with "\n": the Kinesis-sourced Firehose stream concatenates records into its objects as they are.
import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import type { StoredEvent } from "./event.ts";
import { chunk, putWithRetries, type RetryOptions, type Sink } from "./sink.ts";

const MAX_RECORDS = 500;
const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
const encoder = new TextEncoder();

export class KinesisSink implements Sink {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    private readonly retry: RetryOptions = {},
  ) {}

  async put(events: StoredEvent[]): Promise<void> {
    const entries: PutRecordsRequestEntry[] = events.map((event) => ({
      Data: encoder.encode(`${JSON.stringify(event)}\n`),
      PartitionKey: event.session_id,
    }));
    const size = (entry: PutRecordsRequestEntry) =>
      (entry.Data?.byteLength ?? 0) + Buffer.byteLength(entry.PartitionKey ?? "");
    for (const part of chunk(entries, size, MAX_RECORDS, MAX_REQUEST_BYTES)) {
      await putWithRetries(
        part,
        (pending, signal) => this.send(pending, signal),
        `Kinesis stream ${this.streamName}`,
        this.retry,
      );
    }
  }

  /** Returns the entries the stream did not take. */
  private async send(
    entries: PutRecordsRequestEntry[],
    abortSignal: AbortSignal,
  ): Promise<PutRecordsRequestEntry[]> {
    const result = await this.client.send(
      new PutRecordsCommand({ StreamName: this.streamName, Records: entries }),
      { abortSignal },
    );
    // Only a record the answer gives a sequence number is in the stream: an answer that counts
    // failures but leaves a record out of its list must not acknowledge that record.
    return entries.filter((_, i) => !result.Records?.[i]?.SequenceNumber);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
