// Text a visitor set (a page path, a CTA name, a custom event's props) as it may be printed on a
// terminal: a line break would forge lines of the output, and an escape sequence would act on the
// terminal of whoever reads it (clear it, retitle it, write its clipboard). Anyone can send events.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** The text with each control character shown as U+FFFD. */
export const printable = (text: string): string => text.replace(CONTROL, "\uFFFD");
