// Firehose DirectPut sink: PutRecordBatch with at most 500 records and 4 MiB per request. Firehose
// concatenates records, so each one ends with "\n" to make the delivered objects NDJSON.
import { type _Record, type FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import type { StoredEvent } from "./event.ts";
import { chunk, putWithRetries, type RetryOptions, type Sink } from "./sink.ts";

const MAX_RECORDS = 500;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const encoder = new TextEncoder();

export class FirehoseSink implements Sink {
  constructor(
    private readonly client: FirehoseClient,
    private readonly deliveryStreamName: string,
    private readonly retry: RetryOptions = {},
  ) {}

  async put(events: StoredEvent[]): Promise<void> {
    const records: _Record[] = events.map((event) => ({
      Data: encoder.encode(`${JSON.stringify(event)}\n`),
    }));
    const size = (record: _Record) => record.Data?.byteLength ?? 0;
    for (const part of chunk(records, size, MAX_RECORDS, MAX_REQUEST_BYTES)) {
      await putWithRetries(
        part,
        (pending, signal) => this.send(pending, signal),
        `Firehose stream ${this.deliveryStreamName}`,
        this.retry,
      );
    }
  }

  /** Returns the records Firehose did not take. */
  private async send(records: _Record[], abortSignal: AbortSignal): Promise<_Record[]> {
    const result = await this.client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: this.deliveryStreamName, Records: records }),
      { abortSignal },
    );
    // Only a record the answer gives a RecordId is taken: an answer that counts failures but leaves
    // a record out of its list must not acknowledge that record.
    return records.filter((_, i) => !result.RequestResponses?.[i]?.RecordId);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
