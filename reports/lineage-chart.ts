// The models' lineage graph, drawn with ECharts' graph series in layers by depth.
import { type Chart, dashedOutline, palette, renderChart } from "./charts.ts";

export interface GraphNode {
  name: string;
  layer: number;
  status?: string;
}

const lineageBox = { width: 112, height: 34 };

/** "int_session_exposures" → "int_session_\nexposures": a name too long for one line of a box. */
function twoLines(name: string): string {
  if (name.length <= 15) return name;
  const breaks = [...name.matchAll(/[_.:\s-]/g)].map((m) => (m.index ?? 0) + 1);
  if (breaks.length === 0) return name;
  const at = breaks.reduce((best, b) =>
    Math.abs(b - name.length / 2) < Math.abs(best - name.length / 2) ? b : best,
  );
  return `${name.slice(0, at)}\n${name.slice(at)}`;
}

/**
 * Box fills under the white names, at 4.5:1 or more as small text needs: the palette's own green
 * and red give white only 3.2:1 and 3.7:1. Darker shades of the same hues keep their meaning.
 */
const boxFill = { built: "#3f7a37", failed: "#b8393b", other: palette[0] };

const succeeded = (status?: string) => status === "success" || status === "pass";

/**
 * A model's last run in the box's text as well as its colour, for a reader who cannot tell green
 * from red: ✓ built, ✗ failed or skipped; a source or a model not run yet has no mark.
 */
function marked(name: string, status?: string): string {
  const label = twoLines(name);
  return status ? `${succeeded(status) ? "✓" : "✗"} ${label}` : label;
}

/** The models' lineage: nodes in layers by depth (sources left, marts right), arrows along refs. */
export function lineageChart(title: string, nodes: GraphNode[], edges: [string, string][]): Chart {
  const layers = Math.max(1, ...nodes.map((n) => n.layer + 1));
  const parents = new Map<string, string[]>();
  for (const [from, to] of edges) parents.set(to, [...(parents.get(to) ?? []), from]);
  // Each layer is ordered by where its parents sit (the barycentre rule), so fewer edges cross.
  const height01 = new Map<string, number>();
  const perLayer = new Map<number, number>();
  const positioned: { node: GraphNode; index: number }[] = [];
  for (let layer = 0; layer < layers; layer++) {
    const here = nodes.filter((n) => n.layer === layer);
    const centre = (n: GraphNode) => {
      const ys = (parents.get(n.name) ?? []).map((p) => height01.get(p) ?? 0.5);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : 0.5;
    };
    here.sort((a, b) => centre(a) - centre(b) || a.name.localeCompare(b.name));
    here.forEach((node, index) => {
      height01.set(node.name, (index + 1) / (here.length + 1));
      positioned.push({ node, index });
    });
    perLayer.set(layer, here.length);
  }
  const tallest = Math.max(1, ...perLayer.values());
  // Layers stand far enough apart that neighbouring boxes never touch, however deep the graph is.
  const margin = lineageBox.width / 2 + 4;
  const width = Math.max(720, 2 * margin + (layers - 1) * (lineageBox.width + 14));
  const height = Math.max(200, tallest * 56 + 40);
  const statusOf = new Map(nodes.map((n) => [n.name, n.status]));
  const statusColour = (status?: string) =>
    succeeded(status) ? boxFill.built : status ? boxFill.failed : boxFill.other;
  return renderChart(
    title,
    {
      series: [
        {
          type: "graph",
          layout: "none",
          left: margin,
          right: margin,
          top: 24,
          bottom: 24,
          symbol: "roundRect",
          symbolSize: [lineageBox.width, lineageBox.height],
          // No arrowheads: they would end under the boxes; the left-to-right layers give the direction.
          // A long name goes on two lines, broken at an underscore; what still does not fit is cut.
          label: {
            show: true,
            color: "#fff",
            fontSize: 11,
            lineHeight: 13,
            width: lineageBox.width - 10,
            overflow: "truncate",
            formatter: (p: { name: string }) => marked(p.name, statusOf.get(p.name)),
          },
          lineStyle: { color: "#888", width: 1.2, curveness: 0 },
          data: positioned.map(({ node, index }) => {
            const count = perLayer.get(node.layer) ?? 1;
            return {
              name: node.name,
              x: layers === 1 ? width / 2 : margin + (node.layer / (layers - 1)) * (width - 2 * margin),
              y: ((index + 1) / (count + 1)) * height,
              // A failed or skipped model is outlined too: a shape that says so without its red.
              itemStyle: {
                color: statusColour(node.status),
                ...(node.status && !succeeded(node.status) ? dashedOutline : {}),
              },
            };
          }),
          links: edges.map(([source, target]) => ({ source, target })),
        },
      ],
    },
    width,
    height,
    "lineage",
  );
}
