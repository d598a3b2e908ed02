import { Injectable } from '@nestjs/common';
import { agencyDecider, agencyIdOfClientId, agencyStream, isActiveCredential, type AgencyCredential, type AgencyState } from '@asiointitili/domain';
import { AGENCY_ID_PATTERN } from '../http/controllers/params';
import { CommandExecutor } from '../write/command-executor';
import { addressCheckFor, type AddressCheck } from './ip-allowlist';
import { CLIENT_ID_PATTERN, secretMatches, spendComparableTime } from './client-secret';

/**
 * How long a process trusts what it read from an agency stream. A revocation or allowlist change
 * made by this process applies at once (its handlers call `forget`); one made by another process
 * of the same deployment applies within this time, to new tokens and to tokens already issued.
 */
export const CREDENTIAL_CACHE_TTL_MS = 30_000;

interface Snapshot {
  readonly state: AgencyState;
  readonly allows: AddressCheck;
}

export type Authentication =
  | { readonly ok: true; readonly agencyId: string; readonly clientId: string }
  | { readonly ok: false; readonly why: 'unknown-client' | 'revoked' | 'wrong-secret' | 'address-not-allowed' };

/**
 * Agencies' machine credentials and allowlists, read from the agency streams themselves (they are
 * security history, not a read model that may lag), with a short cache so that checking them on
 * every agency call costs a map lookup.
 */
@Injectable()
export class AgencyCredentials {
  private readonly cache = new Map<string, { readonly until: number; readonly snapshot: Promise<Snapshot> }>();

  constructor(private readonly executor: CommandExecutor) {}

  /**
   * Checks a client id and secret from a client address. The address is checked before the
   * secret (a caller outside the allowlist learns nothing about it), and every failure of a
   * well-formed client id costs as much time as a wrong secret.
   */
  async authenticate(clientId: string, secret: string, address: string | undefined): Promise<Authentication> {
    // A client id of another shape was never issued: no need to hide that it does not exist.
    if (!CLIENT_ID_PATTERN.test(clientId)) return { ok: false, why: 'unknown-client' };
    const agencyId = agencyIdOfClientId(clientId);
    const snapshot = agencyId !== undefined && AGENCY_ID_PATTERN.test(agencyId) ? await this.snapshotOf(agencyId) : undefined;
    const credential = snapshot?.state.registered ? snapshot.state.credentials.find((c) => c.clientId === clientId) : undefined;
    if (!snapshot || !credential || agencyId === undefined) {
      await spendComparableTime(secret);
      return { ok: false, why: 'unknown-client' };
    }
    if (!snapshot.allows(address) || !isActiveCredential(credential)) {
      // No check of the secret for a caller outside the allowlist or a revoked credential, but the same time.
      await spendComparableTime(secret);
      return { ok: false, why: snapshot.allows(address) ? 'revoked' : 'address-not-allowed' };
    }
    if (!(await secretMatches(secret, credential))) return { ok: false, why: 'wrong-secret' };
    return { ok: true, agencyId, clientId };
  }

  /** Whether a token exchanged for this credential is still good: the credential exists and is not revoked. */
  async isActive(agencyId: string, clientId: string): Promise<boolean> {
    const credential = await this.credentialOf(agencyId, clientId);
    return credential !== undefined && isActiveCredential(credential);
  }

  /** Whether an agency's integration may call from this address (no allowlist: from anywhere). */
  async allows(agencyId: string, address: string | undefined): Promise<boolean> {
    return (await this.snapshotOf(agencyId)).allows(address);
  }

  async stateOf(agencyId: string): Promise<AgencyState> {
    return (await this.snapshotOf(agencyId)).state;
  }

  /** Drops what this process remembers of an agency, after it changed the agency's credentials or allowlist. */
  forget(agencyId: string): void {
    this.cache.delete(agencyId);
  }

  private async credentialOf(agencyId: string, clientId: string): Promise<AgencyCredential | undefined> {
    const { state } = await this.snapshotOf(agencyId);
    return state.registered ? state.credentials.find((c) => c.clientId === clientId) : undefined;
  }

  private snapshotOf(agencyId: string): Promise<Snapshot> {
    const now = performance.now();
    const cached = this.cache.get(agencyId);
    if (cached && cached.until > now) return cached.snapshot;
    const snapshot = this.executor.load(agencyStream(agencyId), agencyDecider).then(({ state }) => ({
      state,
      allows: addressCheckFor(state.registered ? state.ipAllowlist : []),
    }));
    this.cache.set(agencyId, { until: now + CREDENTIAL_CACHE_TTL_MS, snapshot });
    // Neither a failed read nor an unknown agency is remembered: the next call reads again, and
    // made-up agency ids from token requests cannot fill the cache.
    const forgetIt = () => {
      if (this.cache.get(agencyId)?.snapshot === snapshot) this.cache.delete(agencyId);
    };
    snapshot.then(({ state }) => state.registered || forgetIt(), forgetIt);
    return snapshot;
  }
}
