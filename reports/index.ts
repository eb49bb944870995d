// The static reports' face. Filled in by the reports work.
export interface SiteOptions {
  data: string;
  days: number;
}

export async function renderSite(_opts: SiteOptions): Promise<number> {
  throw new Error("the reports are not available in this build yet");
}
