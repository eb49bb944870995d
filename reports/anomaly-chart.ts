// The anomalies page's hourly chart, whose axis marks each day's first hour: in zones off the hour
// or with a clock jump at midnight, that hour is not "00:00".
import { axisName, type Chart, grid, legend, palette, renderChart } from "./charts.ts";

/** The day of an hour's label: "Nov 20" of "Nov 20 14:30". */
const dayOfHour = (hour: string) => hour.replace(/ \d\d:\d\d$/, "");

/**
 * A category interval that keeps the first hour of every k-th day, at most about eight of them.
 * A day's first hour, not its "00:00": in a zone half an hour off UTC (India, Newfoundland) the
 * hours read "00:30", and on a day whose clock jumps at midnight (Chile) there is no 00:00 at all.
 * The chart's first hour starts a day only when it is in the day's first clock hour.
 */
function dayStartsEvery(hours: string[]) {
  const midnights = hours.flatMap((hour, i) =>
    (i === 0 ? / 00:\d\d$/.test(hour) : dayOfHour(hour) !== dayOfHour(hours[i - 1] ?? "")) ? [i] : [],
  );
  const step = Math.max(1, Math.ceil(midnights.length / 8));
  const kept = new Set(midnights.filter((_, n) => n % step === 0));
  return (index: number) => kept.has(index);
}

/** Hourly counts with the flagged hours marked as points on the line; hours as "Nov 20 14:00". */
export function anomalyChart(title: string, hours: string[], counts: number[], flagged: boolean[]): Chart {
  return renderChart(title, {
    legend,
    grid,
    xAxis: {
      type: "category",
      data: hours,
      boundaryGap: false,
      // Ticks and labels at a day's start only, every few days: ECharts' own spacing lands on odd hours.
      axisTick: { interval: dayStartsEvery(hours) },
      axisLabel: {
        interval: dayStartsEvery(hours),
        formatter: dayOfHour,
      },
    },
    yAxis: { type: "value", minInterval: 1, ...axisName("events per hour", false) },
    series: [
      { name: "events per hour", type: "line", data: counts, showSymbol: false, lineStyle: { width: 1 } },
      {
        name: "anomaly",
        type: "scatter",
        symbolSize: 9,
        color: palette[3],
        data: counts.map((count, i) => (flagged[i] ? [i, count] : null)).filter((p) => p !== null),
      },
    ],
  });
}
