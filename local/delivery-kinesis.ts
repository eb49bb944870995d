// Delivery from a Kinesis stream (kinesalite locally) into DATA/raw/, as a Kinesis-sourced
// Firehose does: each shard read from its checkpoint (TRIM_HORIZON at first), objects by
// arrival hour, the shard's checkpoint written after each object.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { GetRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { FailureLog } from "../functions/collect/failure-log.ts";
import { type ArrivedLine, arrivalOf, runsByHour } from "./delivery-batch.ts";
import { writeFileDurably } from "./durable-file.ts";
import { listAllShards, shardIterator } from "./kinesis-shards.ts";
import { writeRawObject } from "./raw-object.ts";
import { damagedCheckpoint, refuseNonFileAt } from "./start-problem.ts";

export interface KinesisDeliveryOptions {
  data: string;
  client: KinesisClient;
  streamName: string;
  /** @default 5000 */
  intervalMs?: number;
  /** @default console.error */
  log?: (message: string) => void;
}

type Checkpoints = Record<string, string>;
const decoder = new TextDecoder();

export class KinesisDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;
  private readonly checkpointFile: string;

  constructor(private readonly options: KinesisDeliveryOptions) {
    const safeName = options.streamName.replace(/[^A-Za-z0-9_.-]/g, "_");
    this.checkpointFile = join(options.data, "spool", `kinesis-${safeName}.checkpoint.json`);
  }

  start(): this {
    const failures = new FailureLog(this.options.log ?? console.error, "delivery from Kinesis: works again");
    this.timer = setInterval(() => {
      if (!this.stopped)
        this.deliver().then(
          () => failures.succeeded(),
          (error: Error) => failures.failed(`delivery from Kinesis: will retry: ${error.message}`),
        );
    }, this.options.intervalMs ?? 5_000);
    this.timer.unref();
    return this;
  }

  /** Reads every shard to its current end and lands what it found; resolves with the count. */
  deliver(): Promise<number> {
    this.running ??= this.deliverPending().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.running) await this.running.catch(() => 0);
  }

  private async deliverPending(): Promise<number> {
    const { client, streamName } = this.options;
    const checkpoints = await this.readCheckpoints();
    let delivered = 0;
    for (const shard of await listAllShards(client, streamName)) {
      const shardId = shard.ShardId as string;
      let iterator = await this.iteratorAfterCheckpoint(shardId, checkpoints);
      while (iterator) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        const lines: (ArrivedLine & { sequence: string })[] = [];
        for (const record of page.Records ?? []) {
          const line = decoder.decode(record.Data).trimEnd();
          const arrival = arrivalOf(line) ?? record.ApproximateArrivalTimestamp ?? new Date();
          lines.push({ line, arrival, sequence: record.SequenceNumber as string });
        }
        for (const run of runsByHour(lines)) {
          await writeRawObject(
            this.options.data,
            run.map((l) => l.line),
            (run[0] as ArrivedLine).arrival,
          );
          delivered += run.length;
          checkpoints[shardId] = (run[run.length - 1] as { sequence: string }).sequence;
          await this.writeCheckpoints(checkpoints);
        }
        // An empty page with no lag left means the shard has been read to its end for now.
        if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return delivered;
  }

  /** Where the shard's reading resumes: after its checkpoint, or at its oldest record when it has none. */
  private async iteratorAfterCheckpoint(
    shardId: string,
    checkpoints: Checkpoints,
  ): Promise<string | undefined> {
    const { client, streamName } = this.options;
    const after = checkpoints[shardId];
    if (after) {
      try {
        return await shardIterator(client, streamName, shardId, { after });
      } catch (error) {
        // A stream deleted and made again under the same name has the same shard ids but new sequence
        // numbers, which the old checkpoint does not belong to: asking with it again would fail forever
        // and nothing would land. Reading the shard from its start loses nothing; copies are removed by event_id.
        if ((error as Error).name !== "InvalidArgumentException") throw error;
        (this.options.log ?? console.error)(
          `delivery from Kinesis: the checkpoint of ${shardId} is not a position in stream ${streamName} (was the stream made again?); reading the shard from its oldest record`,
        );
        delete checkpoints[shardId];
        await this.writeCheckpoints(checkpoints);
      }
    }
    return shardIterator(client, streamName, shardId, "oldest");
  }

  /** Names a checkpoint file that cannot be read (a StartProblem), before anything is delivered. */
  async checkCheckpoints(): Promise<void> {
    const holds = `how far the delivery has landed stream ${this.options.streamName} in raw/ (its checkpoint)`;
    await refuseNonFileAt(this.checkpointFile, holds);
    await refuseNonFileAt(`${this.checkpointFile}.tmp`, `${holds} while it is written`);
    await this.readCheckpoints();
  }

  private async readCheckpoints(): Promise<Checkpoints> {
    const restart = "read the stream from its oldest record";
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.checkpointFile, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      if (error instanceof SyntaxError) throw damagedCheckpoint(this.checkpointFile, error.message, restart);
      throw error;
    }
    // A hand-edited file of another shape would fail every pass (null), lose every position written
    // into it and land the whole stream again at each pass (an array), or name no sequence number.
    const positions =
      typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? Object.values(parsed) : [0];
    if (positions.some((position) => typeof position !== "string"))
      throw damagedCheckpoint(
        this.checkpointFile,
        `expected {"shard id": the sequence number of its last delivered record, …}, got ${JSON.stringify(parsed).slice(0, 120)}`,
        restart,
      );
    return parsed as Checkpoints;
  }

  private async writeCheckpoints(checkpoints: Checkpoints): Promise<void> {
    await mkdir(join(this.options.data, "spool"), { recursive: true });
    // As the spool delivery's: a power loss leaves the previous checkpoint or this one, never half a file.
    await writeFileDurably(this.checkpointFile, JSON.stringify(checkpoints));
  }
}
