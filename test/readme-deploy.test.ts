// The README's deploy guide, followed in order as a user would: each npm script it names exists, and
// each file it tells you to copy is made by a command it gives before.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { publishedMarts } from "../reports/playground.ts";
import { resourcesOf, synthesizeStack } from "../stacks/synthesized.ts";
import { trackerOutfile } from "../tracker/build.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const scripts = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
  .scripts as Record<string, string>;

function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  const end = readme.indexOf("\n## ", start + heading.length + 2);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Each `npx cdktf …` command the README gives, from shell blocks (continued lines joined) and inline code with arguments. */
function cdktfCommands(text: string): string[] {
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    (m[1] as string).replace(/\\\n\s*/g, " ").split("\n"),
  );
  const inline = [...text.matchAll(/`(npx cdktf \w+ [^`]+)`/g)].map((m) => m[1] as string);
  return [...blocks, ...inline]
    .map((c) => c.trim())
    .filter((c) => c.startsWith("npx cdktf") || c.includes(" npx cdktf "));
}

describe("README: Deploy to AWS", () => {
  const guide = section("## Deploy to AWS");

  it("names only npm scripts that exist", () => {
    const named = [...guide.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(scripts, name).toHaveProperty(name);
  });

  it("builds the tracker before it tells you to copy it to your site", () => {
    const tracker = relative(root, trackerOutfile);
    const copy = guide.indexOf(`copy \`${tracker}\``);
    expect(copy).toBeGreaterThan(-1);
    const build = guide.indexOf("npm run build");
    expect(build).toBeGreaterThan(-1);
    expect(build).toBeLessThan(copy);
    expect(scripts.build).toBe("tsx tracker/build.ts");
  });

  it("passes every variable without a default to each deploy and destroy, as cdktf stops at Terraform's prompt for one", () => {
    const variables = synthesizeStack().tf.variable;
    const required = Object.keys(variables).filter((name) => !("default" in (variables[name] ?? {})));
    expect(required.sort()).toEqual(["allowed_origins", "github_repository"]);
    const applying = cdktfCommands(readme).filter((c) => /(^| )npx cdktf (deploy|destroy)\b/.test(c));
    expect(applying.some((c) => c.includes("cdktf destroy"))).toBe(true);
    for (const command of applying)
      for (const name of required) expect(command, command).toMatch(new RegExp(`--var[ =]'?${name}=`));
  });
});

/** A default as the README's table writes it: `required` (none), a number, a boolean, a quoted string, an empty map or list, or a text. */
const tableDefault = (cell: string): unknown =>
  cell === "required"
    ? undefined
    : /^(-?[\d.]+|true|false|"[^"]*"|\{\}|\[\])$/.test(cell)
      ? JSON.parse(cell)
      : cell;

describe("README: the stack's variables", () => {
  it("lists every variable with the default the stack gives it", () => {
    const table = /\*\*Variables\.\*\*\n\n([\s\S]*?)\n\n/.exec(readme)?.[1] ?? "";
    const listed: Record<string, unknown> = {};
    for (const row of table.split("\n").slice(2)) {
      const [names = "", defaults = ""] = row
        .split("|")
        .slice(1, 3)
        .map((cell) => cell.replaceAll("`", ""));
      const values = defaults.split(" / ");
      names.split(" / ").forEach((name, i) => {
        listed[name.trim()] = tableDefault((values[i] ?? "").trim());
      });
    }
    expect(Object.keys(listed).length).toBeGreaterThan(5);
    const variables = synthesizeStack().tf.variable;
    expect(listed).toEqual(
      Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v?.default])),
    );
  });
});

it("lists every mart the public site's Parquet files hold", () => {
  const sentence = /The SQL page's Parquet files hold only the\s+mart tables \(([^)]*)\)/.exec(readme);
  const listed = [...(sentence?.[1] ?? "").matchAll(/`(\w+)`/g)].map((m) => m[1]);
  expect(listed).toEqual([...publishedMarts]);
});

it("names every route of the events API in what the stack creates", () => {
  const { tf } = synthesizeStack();
  const ingest = /\n\| ingest +\|([^\n]*)/.exec(readme)?.[1] ?? "";
  const routes = Object.values(resourcesOf(tf, "aws_apigatewayv2_route")).map((r) => String(r.route_key));
  expect(routes.length).toBeGreaterThan(1);
  for (const key of routes) {
    // A route whose path is a variable is named by the variable.
    const named = /\$\{var\.(\w+)\}/.exec(key)?.[1] ?? key;
    expect(ingest, key).toContain(`\`${named}\``);
  }
});
