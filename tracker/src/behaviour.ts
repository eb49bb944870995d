// What visitors do on a page: scroll and visible-time milestones, CTA clicks, forms, exit intent.
// Never reads the page's text: a CTA is named by its data-cta value, a form by its id or name.
import { doc } from "./config.ts";
import { on, track } from "./track.ts";

// Per page view; startPage resets them.
let scrolled = 0;
let visibleSeconds = 0;
let exited = 0;
let startedForms: Element[] = [];
let frame = 0;

export const startPage = (): void => {
  scrolled = visibleSeconds = exited = 0;
  startedForms = [];
  measureSoon();
};

const measureScroll = (): void => {
  frame = 0;
  // A page that fits in the viewport is fully seen; the pixel of slack absorbs fractional offsets.
  const percent = ((scrollY + innerHeight + 1) / doc.documentElement.scrollHeight) * 100;
  for (const milestone of [25, 50, 75, 100] as const)
    percent >= milestone &&
      milestone > scrolled &&
      track("scroll_depth", { scroll_pct: (scrolled = milestone) });
};

// At most one layout read per animation frame, however fast the scroll events come.
const measureSoon = (): void => {
  frame ||= requestAnimationFrame(measureScroll);
};

// getAttribute, because form.id and form.name return a field when one is named "id" or "name".
const formName = (form: Element) => form.getAttribute("id") || form.getAttribute("name") || undefined;

/** One second passed: the visible-time clock only runs while the tab is visible. */
export const tick = (): unknown =>
  doc.hidden ||
  ([30, 60, 180, 300].includes(++visibleSeconds) && track("time_on_page", { seconds: visibleSeconds }));

export const listen = (): void => {
  addEventListener("scroll", measureSoon, { passive: true });

  on("click", (event: MouseEvent) => {
    const cta = (event.target as HTMLElement).closest<HTMLElement>("[data-cta]");
    cta && track("cta_click", { element: cta.dataset.cta });
  });

  on("input", (event: Event) => {
    const form = (event.target as HTMLInputElement).form;
    form &&
      !startedForms.includes(form) &&
      startedForms.push(form) &&
      track("form_start", { element: formName(form) });
  });

  on("submit", (event: Event) => track("form_submit", { element: formName(event.target as Element) }));

  // Leaving through the top edge: towards the tab bar, the address bar or the close button.
  on("mouseout", (event: MouseEvent) => {
    !event.relatedTarget && event.clientY < 1 && !exited++ && track("exit_intent");
  });
};
