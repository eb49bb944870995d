// Where each line of a rendered model came from: every newline of the template's literal text carries
// a mark with its line number through the render, so that a DuckDB error on line N of the compiled
// SQL can name the line of the model file.
import type { TemplateNode as Node } from "./template-ast.ts";

const lineMark = "\u0001";

/** Appends a line marker to every newline of the template's literal text (not inside `{{ }}`). */
export function markLines(node: Node | undefined): void {
  if (!node) return;
  if (node.type === "ContentStatement") {
    const content = node as hbs.AST.ContentStatement;
    const value = content.value;
    if (!value.includes("\n")) return;
    // The typings call it StripFlags; at run time it is the text before whitespace control.
    const original = content.original as unknown as string;
    // Whitespace control strips only whitespace around the value, so find where it starts.
    let start = 0;
    for (let i = 0; i <= original.length - value.length; i++) {
      if (original.startsWith(value, i) && /^\s*$/.test(original.slice(0, i))) {
        start = i;
        break;
      }
    }
    let line = content.loc.start.line + (original.slice(0, start).match(/\n/g)?.length ?? 0);
    let marked = "";
    for (const ch of value) {
      if (ch === "\n") {
        marked += `${lineMark}${line}${lineMark}`;
        line++;
      }
      marked += ch;
    }
    content.value = marked;
    return;
  }
  for (const child of node.body ?? []) markLines(child as Node);
  markLines(node.program as Node | undefined);
  markLines(node.inverse as Node | undefined);
}

/**
 * The rendered SQL without its marks, and lineMap[i] = the model file's line (1-based) of output
 * line i + 1. A line without a mark (the last line of a block's output) takes the next mark's line;
 * lines after the last mark, the template's last line.
 */
export function unmarkLines(rendered: string, lastLine: number): { sql: string; lineMap: number[] } {
  const lineMap: number[] = [];
  const lines = rendered.split("\n");
  const marked = new RegExp(`${lineMark}(\\d+)${lineMark}`, "g");
  let pending: number[] = [];
  lines.forEach((line, i) => {
    const marks = [...line.matchAll(marked)];
    lines[i] = line.replace(marked, "");
    const last = marks[marks.length - 1];
    if (last) {
      const source = Number(last[1]);
      for (const p of pending) lineMap[p] = source;
      pending = [];
      lineMap[i] = source;
    } else pending.push(i);
  });
  for (const p of pending) lineMap[p] = lastLine;
  return { sql: lines.join("\n"), lineMap };
}
