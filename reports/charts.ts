// Charts rendered at build time with ECharts' server-side SVG renderer: readable with no JavaScript.
import * as echarts from "echarts";
import { formatShareBrief } from "./format.ts";
import { accessibleSvg } from "./svg.ts";

/** Mid-tone colours that stay readable on both the light and the dark page background. */
export const palette = [
  "#4e79a7",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#76b7b2",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
];

export interface Chart {
  title: string;
  svg: string;
  /** What an empty chart says, when "no data" would mislead (there is data, just nothing to draw). */
  empty?: string;
}

type Option = echarts.EChartsCoreOption;

export function renderChart(title: string, option: Option, width = 720, height = 320, kind?: string): Chart {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      color: palette,
      textStyle: { fontFamily: "system-ui, sans-serif" },
      ...option,
    });
    return { title, svg: accessibleSvg(chart.renderToSVGString(), title, kind) };
  } finally {
    chart.dispose();
  }
}

// ECharts places legend entries by text widths it estimates on the server from Arial-like metrics;
// browsers draw 10–20 % wider in fonts such as DejaVu Sans, so the gap absorbs the difference.
export const legend = { top: 0, type: "plain" as const, itemGap: 24 };

/** Category labels longer than this are shortened with an ellipsis so the plot keeps its width. */
const maxLabel = 28;

/**
 * A label on one line: ECharts starts a new line at each line break, which a visitor's text (a CTA's
 * data-cta value written over two lines) can hold, so runs of white space read as one space. A long
 * label keeps its start and its end around an ellipsis: paths of one section share their start
 * ("/blog/2026/…"), and cut at the end two of them would read as one bar's label twice.
 */
function shortLabel(text: string): string {
  const label = text.replace(/\s+/g, " ").trim();
  if (label.length <= maxLabel) return label;
  const head = Math.ceil((maxLabel - 1) / 2);
  return `${label.slice(0, head)}…${label.slice(label.length - (maxLabel - 1 - head))}`;
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Nov 20" from "2026-11-20": short enough that a month of days fits on a phone's axis. */
export function shortDay(isoDay: string): string {
  const month = months[Number(isoDay.slice(5, 7)) - 1];
  return month ? `${month} ${Number(isoDay.slice(8, 10))}` : isoDay;
}

/**
 * Days for an axis: "Nov 20", or "Dec 30 2025" on every day when they span more than one year
 * (a 365-day period), where "Jan 3" alone would not say which January.
 */
export function shortDays(isoDays: string[]): string[] {
  const years = new Set(isoDays.map((day) => day.slice(0, 4)));
  return isoDays.map((day) => (years.size > 1 ? `${shortDay(day)} ${day.slice(0, 4)}` : shortDay(day)));
}
// The plot keeps its axis labels and names inside the picture (ECharts 6's replacement of containLabel).
export const grid = {
  left: 8,
  right: 16,
  top: 36,
  bottom: 8,
  outerBoundsMode: "same",
  outerBoundsContain: "all",
};

/** A value axis's name, written along the axis so it never collides with the legend. */
export function axisName(name: string | undefined, horizontal: boolean) {
  return name ? { name, nameLocation: "middle", nameGap: horizontal ? 28 : 44 } : {};
}

export interface Series {
  name: string;
  /** null: nothing recorded there (a day before the data starts), drawn as no bar rather than 0. */
  values: (number | null)[];
  /** A fixed colour, for a series that must look the same whichever others are drawn beside it. */
  colour?: string;
}

/** A line's values; null where nothing was recorded yet, drawn as a gap rather than as 0. */
export interface LineSeries {
  name: string;
  values: (number | null)[];
}

/**
 * Days as lines. With `lastPartial`, the segment into the last day is dashed: that day is counted
 * only up to the latest data, and a solid line would read its lower count as a fall.
 */
export function lineChart(
  title: string,
  categories: string[],
  series: LineSeries[],
  yName?: string,
  lastPartial = false,
): Chart {
  const last = categories.length - 1;
  const dashed = lastPartial && last > 0;
  return renderChart(title, {
    legend,
    // Room on the right for the last day's label, centred on the plot's edge.
    grid: { ...grid, right: 28 },
    xAxis: { type: "category", data: shortDays(categories), boundaryGap: false },
    yAxis: { type: "value", minInterval: 1, ...axisName(yName, false) },
    series: series.flatMap((s, i) => {
      const line = (data: (number | null)[]) => ({
        name: s.name,
        type: "line",
        data,
        // A day with no recorded day beside it has no line to draw: its dot is all there is to see.
        showSymbol: data.some((v, day) => v !== null && data[day - 1] == null && data[day + 1] == null),
        color: palette[i % palette.length],
      });
      if (!dashed) return [line(s.values)];
      return [
        line(s.values.map((v, day) => (day === last ? null : v))),
        // The same name merges it into the solid line's legend entry.
        { ...line(s.values.map((v, day) => (day >= last - 1 ? v : null))), lineStyle: { type: "dashed" } },
      ];
    }),
  });
}

export function barChart(
  title: string,
  categories: string[],
  series: Series[],
  opts: {
    horizontal?: boolean;
    stacked?: boolean;
    percent?: boolean;
    max?: number;
    height?: number;
    valueName?: string;
    /** The last category is only partly counted (a day still filling): its bars are drawn paler. */
    lastPartial?: boolean;
  } = {},
): Chart {
  const horizontal = opts.horizontal ?? false;
  const fitsPhone = horizontal || categories.length <= fewCategories;
  const last = categories.length - 1;
  const category = {
    type: "category",
    data: categories.map(shortLabel),
    axisLabel: horizontal ? { interval: 0 } : { hideOverlap: true },
  };
  const value = {
    type: "value",
    minInterval: opts.percent ? undefined : 1,
    max: opts.max,
    axisLabel: opts.percent ? { formatter: "{value} %" } : {},
    ...axisName(opts.valueName, horizontal),
  };
  return renderChart(
    title,
    {
      legend: series.length > 1 ? legend : undefined,
      // Labels are measured on the server with estimated font metrics; the margin absorbs wider fonts.
      grid: {
        ...grid,
        left: horizontal ? 28 : grid.left,
        right: horizontal ? 40 : grid.right,
        top: series.length > 1 ? 36 : 12,
      },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? { ...category, inverse: true } : value,
      series: series.map((s) => ({
        name: s.name,
        type: "bar",
        color: s.colour,
        data: opts.lastPartial
          ? s.values.map((value, i) => (i === last ? { value, itemStyle: { opacity: 0.45 } } : value))
          : s.values,
        stack: opts.stacked ? "total" : undefined,
        label:
          series.length === 1 && horizontal
            ? {
                show: true,
                position: "right",
                // ECharts' text grey, which the SVG pass turns into the page's text colour: the bar's
                // own blue reads at under 4:1 on the dark page, too faint for a small figure.
                color: "#333",
                // A percentage as the tables read it: "100 %" and "0 %" only for all and none.
                formatter: (p: { value: number }) =>
                  opts.percent ? formatShareBrief(p.value / 100) : p.value.toLocaleString("en-US"),
              }
            : undefined,
      })),
    },
    // Horizontal bars, and upright ones of a few categories (time milestones, attribution by channel),
    // are drawn narrower, to fit a phone whole (see style.css): scrolled sideways, the longest bars would
    // run off the screen's edge looking equally long, and the last categories would be out of sight.
    // Only a long row of days scrolls, as the time charts do.
    fitsPhone ? 480 : 720,
    opts.height ?? (horizontal ? Math.max(160, 40 + categories.length * 32) : 320),
    fitsPhone ? "bars" : undefined,
  );
}

/** Upright bar charts of at most this many categories fit a phone; a week of days still does. */
const fewCategories = 8;

/** Dark text for the pale heatmap cells, whose colour is the same in light and dark mode. */
const heatmapInk = "#1d2330";

/** A dashed outline in ECharts' text grey, which the SVG pass turns into the page's text colour. */
export const dashedOutline = { borderColor: "#333", borderWidth: 1.5, borderType: "dashed" };

/**
 * Cohort retention: rows × columns of shares 0–1, null where the week has not happened yet. A cell
 * marked partial (a week still under way) is outlined with a dashed line: its share can only grow.
 */
export function heatmapChart(
  title: string,
  rows: string[],
  columns: string[],
  cells: [number, number, number, boolean?][],
): Chart {
  return renderChart(
    title,
    {
      grid: { ...grid, top: 8 },
      xAxis: { type: "category", data: columns, name: "weeks since", nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "category", data: rows, inverse: true },
      visualMap: {
        min: 0,
        max: 100,
        show: false,
        inRange: { color: ["#d6e4f0", "#4e79a7", "#1d3f66"] },
      },
      series: [
        {
          type: "heatmap",
          // White text only on the darker half of the scale: on the pale cells it would all but vanish.
          data: cells.map(([x, y, share, partial]) => {
            const percent = Math.round(share * 1000) / 10;
            // As the table beside it reads, without the % sign: a few returning visitors are "<0.1", not 0.
            const text = formatShareBrief(share).replace(/ %$/, "").replace(" ", "");
            return {
              value: [x, y, percent],
              label: { color: percent >= 45 ? "#fff" : heatmapInk, formatter: text },
              // Outlined, not paler: a paler cell would fade its figure into the dark page.
              ...(partial ? { itemStyle: dashedOutline } : {}),
            };
          }),
          label: { show: true, fontSize: 12 },
        },
      ],
    },
    720,
    Math.max(160, 70 + rows.length * 26),
  );
}
