// Turns ECharts' server-side SVG into an inline, accessible, theme-following chart:
// a <title> and role="img"/aria-label (ECharts adds none), colours of text and axes that follow
// the page's light or dark scheme through currentColor, ids unique on the page, and no inline
// style attributes or static hover rules (the page is static; the CSS file carries the styling).

/** Greys of ECharts' default theme used for text, axes and grid lines. */
const foreground =
  /(fill|stroke)="(#54555a|#6e7079|#333|#333333|#464646|#000|#000000|#1f1f1f|#4d4d4d|#aaa|#ccc)"/gi;
const gridLines = /stroke="(#dbdee4|#e0e6f1|#e9e9e9|#eee|#e6e6e6)"/gi;

let chartCounter = 0;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `style="font-size:12px;font-family:sans-serif;"` → presentation attributes SVG understands. */
function styleToAttributes(style: string): string {
  return style
    .split(";")
    .map((declaration) => declaration.trim())
    .filter(Boolean)
    .map((declaration) => {
      const at = declaration.indexOf(":");
      const name = declaration.slice(0, at).trim();
      const value = declaration
        .slice(at + 1)
        .trim()
        .replace(/px$/, "");
      return `${name}="${value.replace(/"/g, "&quot;")}"`;
    })
    .join(" ");
}

/** `kind`, a second class beside "chart", for a chart the CSS sizes apart from the others. */
export function accessibleSvg(raw: string, title: string, kind?: string): string {
  const id = `c${++chartCounter}`;
  let svg = raw
    .replace(/<style\s*>[\s\S]*?<\/style>/g, "")
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, "")
    .replace(/ pointer-events="visible"/g, "")
    .replace(/ class="zr\d+-cls-\d+"/g, "")
    .replace(/<defs\s*>\s*<\/defs>/g, "")
    .replace(/ style="([^"]*)"/g, (_, style: string) => ` ${styleToAttributes(style)}`)
    // ECharts' ids (zr0-…) in tags only: a label's text (a page /corvette-zr1-review) stays as it is.
    .replace(/<[^>]*>/g, (tag) => tag.replace(/zr\d+-/g, `${id}-`))
    .replace(foreground, '$1="currentColor"')
    .replace(gridLines, 'stroke="currentColor" stroke-opacity="0.15"')
    .replace(/<defs >/g, "<defs>")
    .replace(/\n+/g, "\n");
  const label = escapeXml(title);
  svg = svg.replace(
    /^<svg width="(\d+)" height="(\d+)"[^>]*?viewBox="([^"]+)">/,
    (_, width: string, height: string, viewBox: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}" width="${width}" height="${height}" role="img" aria-label="${label}" class="chart${kind ? ` ${kind}` : ""}"><title>${label}</title>`,
  );
  if (!svg.includes("<title>")) throw new Error(`chart "${title}": unexpected SVG from ECharts`);
  return svg.trim();
}
