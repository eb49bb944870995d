// Plans who visits when: each visitor's first visit (growing traffic, a weekly and a daily rhythm in
// the visitor's own time zone), their returns over the following weeks, one launch spike, and a
// few crawlers. Only start times are planned here; the events of each session come later, in time order.
import { type Random, Weighted } from "./demo-random.ts";
import {
  type Arrival,
  type Device,
  devices,
  experiment,
  firstArrival,
  localHours,
  type Place,
  places,
  returnArrival,
  spikeArrival,
  weekdayWeight,
} from "./demo-world.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Visitor {
  id: string;
  device: Device;
  place: Place;
  variant: (typeof experiment.variants)[number];
  isBot: boolean;
}

export interface PlannedSession {
  visitor: Visitor;
  start: number;
  /** 0 for the first visit, then 1, 2, … */
  visit: number;
  arrival: Arrival;
}

export interface Plan {
  sessions: PlannedSession[];
  /** How many visitors have a session in the period. */
  visitors: number;
  spike: { start: number; end: number };
}

/** Share of visitors who arrive with the spike, and of visitors that are crawlers. */
const SPIKE_SHARE = 0.07;
const BOT_SHARE = 0.0075;

export function planVisits(random: Random, visitorCount: number, days: number, now: number): Plan {
  const windowStart = now - days * DAY;
  const dayOfFirstVisit = firstVisitDays(windowStart, days);
  // The launch post goes out at 14:00 UTC about 60 % into the period. In a period of a day or two
  // that 14:00 can fall before the period starts (an anchor after 14:00): then it moves a day on,
  // and back, where the period allows, so that its three hours end before now.
  let spikeStart = windowStart - (windowStart % DAY) + Math.floor(days * 0.6) * DAY + 14 * HOUR;
  while (spikeStart + 3 * HOUR > now && spikeStart - DAY >= windowStart) spikeStart -= DAY;
  while (spikeStart < windowStart) spikeStart += DAY;
  const spikeCount = Math.round(visitorCount * SPIKE_SHARE);
  const botCount = Math.round(visitorCount * BOT_SHARE);

  const sessions: PlannedSession[] = [];
  let visitors = 0;
  for (let i = 0; i < visitorCount; i++) {
    const isBot = i >= visitorCount - botCount;
    const inSpike = !isBot && i < spikeCount;
    const visitor: Visitor = {
      id: "", // made at the first visit, below
      device: devices.draw(random),
      place: places.draw(random),
      variant: random.pick(experiment.variants),
      isBot,
    };
    let start: number;
    if (inSpike) {
      // Most of the crowd comes in the first hour, the rest trails off over the next two.
      start = spikeStart + Math.min(random.exponential(0.7 * HOUR), 3 * HOUR - 1000);
    } else {
      const day = dayOfFirstVisit.draw(random);
      const localHour = localHours.draw(random);
      start = windowStart + day * DAY + (localHour - visitor.place.offset) * HOUR + random.next() * HOUR;
      // The time-zone shift can push a first visit out of the period; fold it back in by a day.
      if (start < windowStart) start += DAY;
      if (start >= now) start -= DAY;
    }
    visitor.id = random.uuid(start);
    const planned = sessions.length;
    const returnChance = isBot ? 0.85 : inSpike ? 0.25 : 0.5;
    const meanGapDays = isBot ? 2 : 6;
    for (let visit = 0; visit < 20; visit++) {
      if (start >= now) break;
      if (start >= windowStart) {
        const arrival =
          inSpike && visit === 0 ? spikeArrival : (visit === 0 ? firstArrival : returnArrival).draw(random);
        sessions.push({ visitor, start: Math.floor(start), visit, arrival });
      }
      if (!random.chance(returnChance)) break;
      start += (0.05 + random.exponential(meanGapDays)) * DAY;
    }
    if (sessions.length > planned) visitors++;
  }
  sessions.sort((a, b) => a.start - b.start);
  return { sessions, visitors, spike: { start: spikeStart, end: spikeStart + 3 * HOUR } };
}

/** The day of a first visit: traffic grows by about half over the period and dips at weekends. */
function firstVisitDays(windowStart: number, days: number): Weighted<number> {
  const options: [number, number][] = [];
  for (let day = 0; day < days; day++) {
    const weekday = new Date(windowStart + day * DAY).getUTCDay();
    options.push([day, (1 + (0.5 * day) / days) * (weekdayWeight[weekday] as number)]);
  }
  return new Weighted(options);
}
