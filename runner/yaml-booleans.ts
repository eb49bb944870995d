// dbt reads its YAML files (and --vars) with PyYAML, that is YAML 1.1, where an unquoted yes, no, on
// or off is a boolean. The `yaml` package reads YAML 1.2, where they are text: `default: yes` in
// selectors.yml or `enabled: no` in schema.yml would be refused, or worse, a var `include_bots: no`
// would be a text that `{{#if}}` takes as true. So every project file is read with PyYAML's boolean
// words added to YAML 1.2's core schema (and nothing else of YAML 1.1: dates and 010 stay as they are).
// A quoted 'no' stays text, as in dbt. Mapping keys stay as written (a folder named `on`), since no
// key of these files is ever a boolean.
import type { Document, ParseOptions, parseDocument, SchemaOptions } from "yaml";

// Exactly PyYAML's words (its bool resolver): not y/n, which it reads as text.
const trueWord = /^(?:yes|Yes|YES|on|On|ON)$/;
const booleanWord = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

const yaml11Boolean = {
  tag: "tag:yaml.org,2002:bool",
  default: true,
  identify: (value: unknown) => typeof value === "boolean",
  test: booleanWord,
  resolve: (word: string) => trueWord.test(word),
};

/** Options for the `yaml` package's parseDocument: YAML 1.2 core, with dbt's boolean words. */
export const dbtYamlOptions: ParseOptions & SchemaOptions = {
  customTags: (tags) => [...tags, yaml11Boolean],
};

/** Puts back a mapping key the boolean words turned into true or false, through the whole document. */
export function keysAsWritten(doc: Document): void {
  // Walked by shape, so that this file needs the `yaml` package's types only (--vars loads it lazily).
  type Node = { items?: unknown[]; key?: Node; value?: unknown; source?: unknown };
  const walk = (node: Node | null | undefined): void => {
    if (!node || typeof node !== "object") return;
    const key = node.key;
    if (
      key &&
      typeof key.value === "boolean" &&
      typeof key.source === "string" &&
      booleanWord.test(key.source)
    )
      key.value = key.source;
    if (Array.isArray(node.items)) for (const item of node.items) walk(item as Node);
    if ("key" in node) walk(node.value as Node);
  };
  walk(doc.contents as Node);
}

/** YAML text as dbt reads it; a syntax error is thrown, as the package's parse does. */
export function parseDbtYaml(text: string, parse: typeof parseDocument): unknown {
  const doc = parse(text, dbtYamlOptions);
  if (doc.errors[0]) throw doc.errors[0];
  keysAsWritten(doc);
  return doc.toJS();
}
