/** A selector that cannot be read, or that names what the project cannot have: a usage error (exit 2). */
export class SelectorError extends Error {}
