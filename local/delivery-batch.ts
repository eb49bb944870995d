// Shared by both deliveries: cut a run of stored lines into one raw object per arrival hour, as
// Firehose does, keeping the order so a checkpoint can follow each object.
export interface ArrivedLine {
  line: string;
  arrival: Date;
}

const INGEST_KEY = '"ingest_ts":"';

/** The arrival (ingest_ts) of a stored line, or undefined when the line is not one of ours. */
export function arrivalOf(line: string): Date | undefined {
  // The collector writes ingest_ts after every client field, so the last occurrence of the key
  // is the server's (a quote inside a value is escaped, so a value cannot imitate it).
  const at = line.lastIndexOf(INGEST_KEY);
  if (at !== -1 && line.startsWith("{") && line.endsWith("}")) {
    const start = at + INGEST_KEY.length;
    const arrival = new Date(line.slice(start, line.indexOf('"', start)));
    if (!Number.isNaN(arrival.getTime())) return arrival;
  }
  try {
    const record: unknown = JSON.parse(line);
    if (typeof record !== "object" || record === null) return undefined;
    const ingest = (record as { ingest_ts?: unknown }).ingest_ts;
    const arrival = typeof ingest === "string" ? new Date(ingest) : undefined;
    return arrival && !Number.isNaN(arrival.getTime()) ? arrival : undefined;
  } catch {
    return undefined;
  }
}

const INGEST_KEY_BYTES = Buffer.from(INGEST_KEY);
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Reads arrivals straight from a buffer of stored lines, as arrivalOf does from each line's text,
 * without decoding every line: the key and the time are ASCII, and a UTF-8 sequence never holds
 * an ASCII byte. The lines of one request share their ingest_ts, so each time is parsed once.
 */
export function arrivalReader(): (chunk: Buffer, start: number, end: number) => Date | undefined {
  let lastStamp = "";
  let lastArrival: Date | undefined;
  return (chunk, start, end) => {
    const at = end - start > INGEST_KEY_BYTES.length ? chunk.lastIndexOf(INGEST_KEY_BYTES, end - 1) : -1;
    if (at >= start && chunk[start] === OPEN_BRACE && chunk[end - 1] === CLOSE_BRACE) {
      const from = at + INGEST_KEY_BYTES.length;
      const quote = chunk.indexOf(QUOTE, from);
      if (quote !== -1 && quote < end) {
        const stamp = chunk.toString("utf8", from, quote);
        if (stamp === lastStamp && lastArrival) return lastArrival;
        const arrival = new Date(stamp);
        if (!Number.isNaN(arrival.getTime())) {
          lastStamp = stamp;
          lastArrival = arrival;
          return arrival;
        }
      }
    }
    return arrivalOf(chunk.toString("utf8", start, end));
  };
}

const hourKey = (date: Date) => Math.floor(date.getTime() / 3_600_000);

/** Splits `items` into consecutive runs that share an arrival hour. */
export function runsByHour<T extends { arrival: Date }>(items: T[]): T[][] {
  const runs: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    const first = current[0];
    if (first && hourKey(first.arrival) !== hourKey(item.arrival)) {
      runs.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}
