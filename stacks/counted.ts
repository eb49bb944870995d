import { propertyAccess, Token } from "cdktf";

/** A resource or data source, by what reading one of its attributes needs. */
interface Addressable {
  readonly fqn: string;
  getStringAttribute(attribute: string): string;
}

/**
 * An attribute of an element that may carry a `count`: with a count Terraform needs the instance
 * index (`type.name[0].attr`), without one the plain attribute. Only valid where the reader is
 * gated by the same count.
 */
export function attributeOf(element: Addressable, attribute: string, counted: boolean): string {
  return counted
    ? Token.asString(propertyAccess(element.fqn, [0, attribute]))
    : element.getStringAttribute(attribute);
}

/**
 * Lifecycle of a resource that turning `kinesis_stream_enabled` off removes while the collector
 * still writes to it. Terraform destroys what a resource depends on before it updates that
 * resource, unless the dependency is create-before-destroy: then the collector is pointed at the
 * DirectPut stream first, and the stream, its reader and the permission to put go after.
 */
export const REMOVED_AFTER_COLLECTOR_MOVES = { createBeforeDestroy: true } as const;
