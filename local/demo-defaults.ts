/** What `ownstats demo`, and `dev` on an empty data folder, write unless told otherwise. */
export const DEMO_DEFAULTS = {
  visitors: 2000,
  // Eight weeks and a day: the reports' default 28 days and the 28 before them are both whole in
  // any time zone, whatever hour the demo ends at. With eight weeks exactly, a demo ending at
  // midnight starts at the midnight the period before starts at, and its first visitor (a quiet
  // night hour later) leaves that period's first hours empty: the overview would compare with nothing.
  days: 57,
  seed: 1,
} as const;
