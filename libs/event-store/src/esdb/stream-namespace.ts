import { PRODUCT_STREAM_PREFIXES, isProductStream } from '../product-streams';

/** EVENTSTORE_STREAM_NAMESPACE: letters, digits, `_` and `-`, starting with a letter; `.` is added as the separator. */
const NAMESPACE = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/;

export class StreamNamespaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamNamespaceError';
  }
}

/**
 * The product's streams inside a shared EventStoreDB cluster. The product names its streams
 * `message-<id>`, `account-<ref>`, …; another application in the same cluster may well use
 * `message-` too, and $all filtered by those prefixes would then feed its events to this
 * product's projections. With a namespace (EVENTSTORE_STREAM_NAMESPACE=asiointitili) every stream
 * is stored as `asiointitili.message-<id>`: the adapter adds the namespace on the way to the
 * server and strips it on the way back, so the product (stream names in commands, hash chains,
 * read models) never sees it, and subscriptions filter on the namespaced prefixes on the server.
 *
 * No namespace (the default) keeps the plain names: right for a cluster of its own, and what an
 * existing log was written with. Changing it later makes the old streams invisible: it is chosen
 * once, before the first event.
 */
export class StreamNamespace {
  private readonly prefix: string;

  constructor(readonly name: string = '') {
    if (name !== '' && !NAMESPACE.test(name)) {
      throw new StreamNamespaceError(
        `EVENTSTORE_STREAM_NAMESPACE must be 1–48 letters, digits, "_" or "-", starting with a letter (e.g. asiointitili), got "${name}"`,
      );
    }
    this.prefix = name === '' ? '' : `${name}.`;
  }

  /** The server's name of a product stream (or of the adapter's own bookkeeping stream). */
  toServer(stream: string): string {
    return this.prefix + stream;
  }

  /** The product's name of a server stream, or null when the stream is not one of this product's. */
  fromServer(serverStream: string): string | null {
    if (!serverStream.startsWith(this.prefix)) return null;
    const stream = serverStream.slice(this.prefix.length);
    return isProductStream(stream) ? stream : null;
  }

  /** The prefixes the server filters $all by. */
  serverPrefixes(): string[] {
    return PRODUCT_STREAM_PREFIXES.map((prefix) => this.prefix + prefix);
  }
}
