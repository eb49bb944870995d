// What visitors do on a page: CTA clicks, forms, exit intent (page.ts follows the scrolling).
// Never reads the page's text: a CTA is named by its data-cta value, a form by its id or name.
import { doc } from "./config.ts";
import { formName, once } from "./page.ts";
import { on, track } from "./track.ts";

// A listener is called with the event alone: a second parameter serves as a local variable.
// The element clicked or typed in is the first of the event's composed path: inside a web
// component's shadow root the window hears the event as the host's (its target). A click
// dispatched on the document or the window starts there, without closest(): no CTA.
// The collector refuses an element over 200 characters, and the event with it: a longer
// data-cta value is cut to 200, as a form's name is. A middle-click (auxclick, button 1) opens a
// link in a new tab and counts as well, once, as Plausible counts it; a right-click (button 2) does not.
// A click on a label is passed on to its control as a second click event with the same timeStamp:
// one click of the visitor, counted once (once() knows it by its time and the CTA it reached).
for (const type of ["click", "auxclick"])
  on(
    type,
    (
      event: MouseEvent,
      cta = (event.composedPath()[0] as HTMLElement).closest?.<HTMLElement>("[data-cta]"),
    ) =>
      event.button < 2 &&
      cta &&
      once(event.timeStamp + (cta.dataset.cta as string), "cta_click", {
        element: (cta.dataset.cta as string).slice(0, 200),
      }),
  );

// Leaving through the top edge: towards the tab bar, the address bar or the close button.
on("mouseout", (event: MouseEvent) => !event.relatedTarget && event.clientY < 1 && once(doc, "exit_intent"));

// (Each listener hears an event type of its own, so their order is free: this one gzips smallest.)
on("submit", (event: Event) => track("form_submit", { element: formName(event.target as Element) }));

on(
  "input",
  (event: Event, form = (event.composedPath()[0] as HTMLInputElement).form) =>
    form && once(form, "form_start", { element: formName(form) }),
);
