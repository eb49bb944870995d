// For tests: the cells of a rendered table, found by its caption, as a reader sees them.

/**
 * The cells' text of each body row (the empty-table row included) of the first table whose caption
 * starts with `caption`, or matches it; a cell holding a link reads "". Throws when there is none.
 */
export function tableRows(html: string, caption: string | RegExp): string[][] {
  const table = html
    .split("<caption>")
    .slice(1)
    .find((t) => {
      const text = t.slice(0, t.indexOf("</caption>"));
      return typeof caption === "string" ? text.startsWith(caption) : caption.test(text);
    });
  const body = table?.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1];
  if (body === undefined) throw new Error(`no table captioned ${caption}`);
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[dh][^>]*>([^<]*)</g)].map((cell) => cell[1] ?? ""),
  );
}
