// Where each line of a rendered model came from: every newline of the template's literal text carries
// a mark with its line number through the render, so that a DuckDB error on line N of the compiled
// SQL can name the line of the model file. A macro's newlines are marked the same way; its output is
// put between a start and an end mark, and each of its marks names the macro and the line that
// includes it: `macro:line,…,line of the model`, innermost macro first.
import type { TemplateNode as Node } from "./template-ast.ts";

const lineMark = "\u0001";
/** A newline's mark, or a macro output's start (`[`, without lines) or end (`]`). */
const anyMark = new RegExp(`${lineMark}([[\\]]?)((?:\\d+:\\d+,)*)(\\d*)${lineMark}`, "g");

/** A line a macro wrote: the macro's file and its line there. */
export interface MacroLine {
  file: string;
  line: number;
}

/** A line of the template, or of a macro it includes: then `line` is the template's line that includes it. */
export interface SourceLine {
  line?: number;
  macroLines?: MacroLine[];
}

/** The line, and the macros' lines only when there are some. */
export function sourceLine(at: SourceLine): SourceLine {
  return at.macroLines?.length ? { line: at.line, macroLines: at.macroLines } : { line: at.line };
}

/** Where the lines of a rendered query came from. */
export interface LineMaps {
  /**
   * lineMap[i] = the model file's line (1-based) of output line i + 1; for a line a macro wrote, the
   * line that includes the macro.
   */
  lineMap: number[];
  /**
   * macroLines[i], for an output line a macro wrote: the macro's file and line, then those of the
   * macros that include it, innermost first.
   */
  macroLines?: (MacroLine[] | undefined)[];
}

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
 * The file of macro number i, as `includedMarks` numbers them: in the order of `macros`' names, each
 * named by `macroFiles` (models/macros/name.sql), or by its name.
 */
export function macroFileOf(
  macros: Record<string, string> = {},
  macroFiles: Record<string, string> = {},
): (macro: number) => string {
  const names = Object.keys(macros);
  return (macro) => {
    const name = names[macro] ?? "";
    return macroFiles[name] ?? name;
  };
}

/**
 * The output of macro number `macro`, included on line `at` of the template that includes it: each of
 * its marks also names the macro, so that its lines are told from the includer's, and it is put
 * between a start and an end mark (the end naming its last line), so that a line that holds the
 * includer's text too is told from one of its own.
 */
export function includedMarks(rendered: string, macro: number, at: number, lastLine: number): string {
  const own = `${lineMark}[${lineMark}${rendered}${lineMark}]${lastLine}${lineMark}`;
  // Every mark is matched from its start, so that a start mark's end is not read as a mark's start.
  return own.replace(anyMark, (mark, kind: string, chain: string, line: string) =>
    kind === "[" ? mark : `${lineMark}${kind}${chain}${macro}:${line},${at}${lineMark}`,
  );
}

interface Mark {
  kind: "" | "[" | "]";
  /** Macro number and line, innermost first. */
  macros: [number, number][];
  /** The model's line. */
  line: number;
}

/**
 * The rendered SQL without its marks, and where each of its lines came from (`LineMaps`); `macroFile`
 * names macro number i. A line without a mark (the last line of a block's output) takes the next
 * marked line's; lines after the last mark, the template's last line. A line is a macro's when all
 * of its text (but white space) is; one that also holds the includer's text is the includer's, as an
 * error there may be in either.
 */
export function unmarkLines(
  rendered: string,
  lastLine: number,
  macroFile: (macro: number) => string = String,
): { sql: string } & Required<LineMaps> {
  const lineMap: number[] = [];
  const macroLines: (MacroLine[] | undefined)[] = [];
  const lines = rendered.split("\n");
  let pending: number[] = [];
  // How many macro outputs are open: one may start on a line and end lines later.
  let depth = 0;
  lines.forEach((text, i) => {
    // The line as its text and marks, each piece of text with the depth it is at.
    const tokens: ({ text: string; depth: number } | Mark)[] = [];
    let from = 0;
    for (const m of text.matchAll(anyMark)) {
      tokens.push({ text: text.slice(from, m.index), depth });
      const kind = m[1] as Mark["kind"];
      const macros = (m[2] ?? "")
        .split(",")
        .filter(Boolean)
        .map((pair) => pair.split(":").map(Number) as [number, number]);
      tokens.push({ kind, macros, line: Number(m[3]) });
      if (kind === "[") depth++;
      else if (kind === "]") depth--;
      from = (m.index ?? 0) + m[0].length;
    }
    tokens.push({ text: text.slice(from), depth });
    lines[i] = text.replace(anyMark, "");
    const marks = tokens.filter((t): t is Mark => "kind" in t && t.kind !== "[");
    const last = marks[marks.length - 1];
    if (!last) return void pending.push(i);
    // Each piece of text belongs to the macros of a mark at its depth or deeper, on its line.
    const owners: [number, number][][] = [];
    const pieces = tokens.filter((t): t is { text: string; depth: number } => "text" in t);
    const written = pieces.some((p) => p.text.trim() !== "");
    tokens.forEach((piece, at) => {
      if (!("text" in piece) || (written && piece.text.trim() === "")) return;
      const owner = ownerOf(tokens, at, piece.depth);
      if (owner) owners.push(owner.slice(owner.length - piece.depth));
    });
    // The macros all of the line's text is in, outermost first.
    const outermost = owners.map((o) => [...o].reverse());
    const shared: [number, number][] = [];
    for (const [k, pair] of (outermost[0] ?? []).entries()) {
      if (!outermost.every((o) => o[k]?.[0] === pair[0] && o[k]?.[1] === pair[1])) break;
      shared.push(pair);
    }
    const macros = shared.reverse().map(([macro, line]) => ({ file: macroFile(macro), line }));
    for (const p of [...pending, i]) {
      lineMap[p] = last.line;
      if (macros.length) macroLines[p] = macros;
    }
    pending = [];
  });
  for (const p of pending) lineMap[p] = lastLine;
  return { sql: lines.join("\n"), lineMap, macroLines };
}

/**
 * The macros (innermost first) of the first mark that names lines in the macro output of the text at
 * `tokens[at]`, or in one that output includes on the same line: after it on its line, else before it.
 * Each text on the way is at `depth` or deeper, so the mark's outermost `depth` macros are the text's.
 */
function ownerOf(
  tokens: ({ text: string; depth: number } | Mark)[],
  at: number,
  depth: number,
): [number, number][] | undefined {
  for (const step of [1, -1])
    for (let k = at + step; k >= 0 && k < tokens.length; k += step) {
      const t = tokens[k] as { text: string; depth: number } | Mark;
      if ("text" in t) {
        if (t.depth < depth) break;
      } else if (t.kind !== "[" && t.macros.length >= depth) return t.macros;
    }
  return undefined;
}
