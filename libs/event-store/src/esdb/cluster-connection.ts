/**
 * The connection string as the client (@eventstore/db-client 6.2.1) must get it.
 *
 * `esdb+discover://node1:2113,node2:2113,node3:2113` is what an operator writes for a cluster, but
 * the client keeps only the first host when `+discover` is given with several
 * (`Client.connectionString` → "More than one address provided for discovery. Using first"): one
 * node down at start and the process cannot find the cluster. With several hosts and no
 * `+discover`, the client takes all of them as gossip seeds (`endpoints`) and discovers the leader
 * through any that answers. So a `+discover` string with several hosts is rewritten to the plain
 * `esdb://` form; one host keeps `+discover` (DNS discovery through one name, the client's meaning).
 * Verified against the client's source (dist/Client/index.js, connectionString), not a server.
 */
export function clientConnectionString(connectionString: string): string {
  const match = /^esdb\+discover:\/\/([^/?#]*)(.*)$/.exec(connectionString);
  if (!match) return connectionString;
  const authority = match[1]!;
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return hosts.includes(',') ? `esdb://${authority}${match[2]}` : connectionString;
}

/** The hosts of a connection string, without credentials (for messages). */
export function hostsOf(connectionString: string): string[] {
  const authority = /^esdb(?:\+discover)?:\/\/([^/?#]*)/.exec(connectionString)?.[1] ?? '';
  return authority
    .slice(authority.lastIndexOf('@') + 1)
    .split(',')
    .filter((host) => host !== '');
}
