// A schema.yml test this runner does not have: a misspelt one names the test it likely meant; any
// other (a package's, such as dbt_utils.expression_is_true, or a custom generic test) says what to
// write instead: a singular test, with the query for the models and arguments it was given.
import { didYouMean } from "./suggest.ts";

export function unknownTestMessage(
  kind: string,
  args: Record<string, unknown>,
  model: string,
  column: string | undefined,
  known: readonly string[],
): string {
  const meant = didYouMean(kind, known);
  if (meant) return `unknown test "${kind}"${meant}`;
  const name = kind.split(".").at(-1) ?? kind;
  // dbt 1.10 writes a test's own arguments under arguments:.
  const nested = args.arguments && typeof args.arguments === "object" ? args.arguments : {};
  const own = { ...args, ...nested } as Record<string, unknown>;
  const file = `models/tests/${name}_${model}${column && /^\w+$/.test(column) ? `_${column}` : ""}.sql`;
  return `no generic test "${kind}" here (there are ${known.join(", ")}; dbt packages and tests/generic/ are not read): write the check as a singular test instead, ${file}, a query returning the failing rows: ${failingRows(name, own, model, column)}`;
}

function failingRows(
  name: string,
  args: Record<string, unknown>,
  model: string,
  column: string | undefined,
): string {
  const from = `{{ref "${model}"}}`;
  const columns = args.combination_of_columns;
  if (name === "expression_is_true" && typeof args.expression === "string")
    // As dbt_utils': at a column, the expression continues the column (expression: "> 0").
    return `select * from ${from} where not (${column ? `${column} ` : ""}${args.expression})`;
  if (name === "unique_combination_of_columns" && Array.isArray(columns) && columns.length > 0) {
    const list = columns.map(String).join(", ");
    return `select ${list} from ${from} group by ${list} having count(*) > 1`;
  }
  return `select * from ${from} where <the condition a failing row meets>`;
}
