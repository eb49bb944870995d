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
