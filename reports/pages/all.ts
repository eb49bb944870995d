// Every report page, in navigation order.
import type { Page } from "../page.ts";
import { anomalies } from "./anomalies.ts";
import { audience } from "./audience.ts";
import { cohorts } from "./cohorts.ts";
import { engagement } from "./engagement.ts";
import { experiments } from "./experiments.ts";
import { funnel } from "./funnel.ts";
import { goals } from "./goals.ts";
import { models } from "./models.ts";
import { overview } from "./overview.ts";
import { sources } from "./sources.ts";
import { sql } from "./sql.ts";

export const pages: Page[] = [
  overview,
  sources,
  engagement,
  audience,
  goals,
  funnel,
  cohorts,
  experiments,
  anomalies,
  models,
  sql,
];
