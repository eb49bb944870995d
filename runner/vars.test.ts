import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { compileProject } from "./compile.ts";
import { tempProject } from "./testkit.ts";
import { varsErrors } from "./vars.ts";
import { parseDbtYaml } from "./yaml-booleans.ts";

/** --vars as the command line reads it. */
const varsMapping = (text: string) => parseDbtYaml(text, parseDocument) as Record<string, unknown>;

const zoneProject = (timezone: string) => `name: demo\nvars:\n  timezone: ${timezone}\n`;

describe("--vars", () => {
  it("says how to write a variable whose colon has no space after it, which YAML reads as part of its name", () => {
    const declared = { anomaly_z: 3.5, timezone: "UTC" };
    expect(varsErrors(declared, varsMapping("{anomaly_z:2}"))).toEqual([
      {
        file: "--vars",
        message:
          'unknown variable "anomaly_z:2": YAML takes a colon for part of the name unless a space follows it; write {anomaly_z: 2}',
      },
    ]);
    expect(varsErrors(declared, varsMapping("{timezone:Europe/Berlin}"))[0]?.message).toContain(
      "write {timezone: Europe/Berlin}",
    );
    // As written, with the space or as JSON, it is the variable.
    expect(varsErrors(declared, varsMapping("{anomaly_z: 2}"))).toEqual([]);
    expect(varsErrors(declared, varsMapping('{"anomaly_z":2}'))).toEqual([]);
    // A name no variable has is still listed against the declared ones.
    expect(varsErrors(declared, varsMapping("{anomaly:2}"))[0]?.message).toBe(
      'unknown variable "anomaly:2" (project.yml vars: anomaly_z, timezone); a new variable is declared in project.yml with its default',
    );
  });

  it("refuses a value of another shape than its default: a text for a list, a list for a number", () => {
    const p = tempProject({ "a.sql": "select list_contains({{var \"conversion_events\"}}, 'x') as c" });
    expect(compileProject(p.models, { vars: { conversion_events: "cta_click" } }).errors).toEqual([
      {
        file: "--vars",
        message:
          'variable "conversion_events" is a list in project.yml (["cta_click"]), so --vars must give a list too, not "cta_click"',
      },
    ]);
    expect(varsErrors({ z: 3.5 }, { z: [3] })[0]?.message).toMatch(/^variable "z" is a single value/);
    expect(varsErrors({ steps: { a: 1 } }, { steps: "a" })[0]?.message).toMatch(
      /is a mapping in project.yml/,
    );
  });

  it("refuses a text for a flag, which {{#if}} would take as true whatever it says", () => {
    const p = tempProject(
      { "a.sql": "select {{#if vars.with_bots}}1{{else}}0{{/if}} as bots" },
      "name: demo\nvars:\n  with_bots: false\n",
    );
    expect(compileProject(p.models, { vars: { with_bots: "no" } }).errors).toEqual([
      {
        file: "--vars",
        message:
          'variable "with_bots" is true or false in project.yml (false), so --vars must give true or false (unquoted; yes, no, on and off too), not "no"',
      },
    ]);
    expect(varsErrors({ with_bots: false }, { with_bots: 1 })).toHaveLength(1);
    expect(compileProject(p.models, { vars: { with_bots: true } }).models.get("a")?.full.sql).toBe(
      "select 1 as bots",
    );
  });

  it("refuses a text or a flag for a number, which the SQL would read quoted", () => {
    expect(varsErrors({ anomaly_z: 3.5 }, { anomaly_z: "3" })).toEqual([
      {
        file: "--vars",
        message:
          'variable "anomaly_z" is a number in project.yml (3.5), so --vars must give a number (unquoted), not "3"',
      },
    ]);
    expect(varsErrors({ anomaly_z: 3.5 }, { anomaly_z: true })).toHaveLength(1);
    expect(varsErrors({ anomaly_z: 3.5 }, { anomaly_z: 3 })).toEqual([]);
  });

  it("takes a value of the default's shape, and anything for a null default or as a null", () => {
    const declared = { events: ["a"], z: 3.5, since: null, name: "x" };
    expect(varsErrors(declared, { events: ["b", "c"], z: 4, since: [1], name: "y" })).toEqual([]);
    expect(varsErrors(declared, { z: null, name: 7, events: [] })).toEqual([]);
  });

  it("refuses a timezone that is not an IANA name, naming the variable, the value and where it came from", () => {
    const p = tempProject({ "a.sql": 'select {{var "timezone"}} as zone' }, zoneProject("UTC"));
    const errorsWith = (timezone: unknown) =>
      compileProject(p.models, { vars: { timezone } }).errors.map((e) => `${e.file}: ${e.message}`);
    expect(errorsWith("Berlin")).toEqual([
      '--vars: variable "timezone": "Berlin" is not a known time zone; give an IANA time zone name such as Europe/Berlin, America/Los_Angeles or UTC',
    ]);
    expect(errorsWith("+01:00")).toEqual([
      '--vars: variable "timezone": "+01:00" is not an IANA time zone name such as Europe/Berlin, America/Los_Angeles or UTC',
    ]);
    expect(errorsWith("europe/berlin")).toEqual([
      '--vars: variable "timezone": "europe/berlin" is spelt "Europe/Berlin"',
    ]);
    expect(errorsWith(null)[0]).toMatch(/^--vars: variable "timezone": null is not an IANA/);
    for (const zone of ["Europe/Berlin", "America/St_Johns", "Pacific/Auckland", "UTC", "Etc/GMT+5"])
      expect(errorsWith(zone), zone).toEqual([]);
    const declaredWrong = tempProject({ "a.sql": "select 1" }, zoneProject("Mars/Olympus"));
    expect(compileProject(declaredWrong.models).errors.map((e) => `${e.file}: ${e.message}`)).toEqual([
      'project.yml: variable "timezone": "Mars/Olympus" is not a known time zone; give an IANA time zone name such as Europe/Berlin, America/Los_Angeles or UTC',
    ]);
  });
});
