// Types of the browser module's functions the report renderer shares with the SQL playground.
export function csvText(text: string): string;
export function csvTextField(text: string): string;
