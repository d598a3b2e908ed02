/**
 * The streams this product writes, by name prefix (DESIGN.md: `agency-<id>`, `account-<citizenRef>`,
 * `message-<id>`, `application-<id>`, `access-<id>`, `mandate-<id>`). readAll and subscribeAll deliver only these:
 * an EventStoreDB cluster also holds system streams (`$…`) and possibly other products' streams,
 * which projections must never see. A new kind of stream must be added here, or it stays invisible
 * to every projection and process manager.
 */
export const PRODUCT_STREAM_PREFIXES = ['agency-', 'account-', 'message-', 'application-', 'access-', 'mandate-'] as const;

export type ProductStreamPrefix = (typeof PRODUCT_STREAM_PREFIXES)[number];

export function isProductStream(stream: string): boolean {
  return PRODUCT_STREAM_PREFIXES.some((prefix) => stream.startsWith(prefix));
}
