import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * ./models where the command runs (a project of your own, or this repository), else the package's own
 * models, which `ownstats dev` always builds: run from another folder (the data folder, say), `build`
 * would otherwise refuse a data folder that `dev` builds without a word.
 */
export function defaultModelsFolder(): string {
  return existsSync("models") ? "./models" : join(import.meta.dirname, "..", "models");
}
