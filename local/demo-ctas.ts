// Where the calls to action of the demo's imaginary site sit and how often the readers of each page
// click them. As on a real site one CTA sits on many pages: the header's "Book a call" on every page,
// "Get started" under the hero, the features and each post. Readers of pricing and contact came to
// act; readers of a post came to read, so the same button is clicked far less there. Only the pricing
// page's Book a call opens the booking form; the header's leads off the site.
import type { PageKey } from "./demo-world.ts";

/** The pricing page's Book a call: its click rate is the experiment's variant, and it opens the form. */
export const CTA_ELEMENT = "book_call";
export const FORM_ELEMENT = "book_call_form";
const GET_STARTED = "get_started";

export interface CtaPlacement {
  element: string;
  /** Share of the page's views (other than a glance at the landing page) that click it. */
  rate: number;
  /** The page a click takes the visitor to, when it leads on within the site. */
  leadsTo?: PageKey;
}

/** Each blog post has the same CTAs. */
const onAPost: readonly CtaPlacement[] = [
  { element: GET_STARTED, rate: 0.008, leadsTo: "docs" },
  { element: CTA_ELEMENT, rate: 0.004 },
];

/** The CTAs of each page other than the pricing page's Book a call (demo-sessions.ts draws that one). */
export const ctaPlacements: Record<PageKey, readonly CtaPlacement[]> = {
  home: [
    { element: GET_STARTED, rate: 0.035, leadsTo: "docs" },
    { element: CTA_ELEMENT, rate: 0.005 },
  ],
  features: [
    { element: GET_STARTED, rate: 0.02, leadsTo: "docs" },
    { element: CTA_ELEMENT, rate: 0.012 },
  ],
  pricing: [],
  article: onAPost,
  cookieless: onAPost,
  docs: [{ element: CTA_ELEMENT, rate: 0.006 }],
  about: [{ element: CTA_ELEMENT, rate: 0.03 }],
  contact: [{ element: CTA_ELEMENT, rate: 0.1 }],
};
