import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, READ_STORE, type Clock, type ReadStore } from '@asiointitili/core';
import { accountDecider, accountStream, canReceiveElectronically, initialAccountState } from '@asiointitili/domain';
import type { AppConfig } from '../../config/app-config';
import { CITIZEN_REFS, CitizenRefs } from '../../identity/citizen-ref';
import { isServiceHetu } from '../../identity/service-date';
import { CommandExecutor } from '../../write/command-executor';
import { APP_CONFIG } from '../../write/tokens';
import { Collections, type AccountDoc } from '../projections';

/**
 * "Can this person receive from us electronically?" (API.md). The single check folds the
 * account's own stream, so it agrees exactly with how a message sent now would be routed; the
 * bulk check (up to 10,000) reads the accounts read model in one query.
 */
@Injectable()
export class RecipientCheck {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CITIZEN_REFS) private readonly citizenRefs: CitizenRefs,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async one(agencyId: string, hetu: string): Promise<boolean> {
    const { state } = await this.executor.load(accountStream(this.citizenRefs.refOf(hetu)), accountDecider);
    return canReceiveElectronically(state, agencyId, this.config.consentPolicy, this.clock.now().toISOString()).electronic;
  }

  /**
   * The subset of `hetus` that can receive electronically, and every entry that is not a valid
   * code by the single check's rule (the same `isServiceHetu`: padding, case, date of birth).
   */
  async many(agencyId: string, hetus: readonly string[]): Promise<{ electronic: string[]; invalid: string[] }> {
    const at = this.clock.now().toISOString();
    const judged = hetus.map((h) => ({ h, ok: isServiceHetu(h, this.clock) }));
    const invalid = judged.filter((j) => !j.ok).map((j) => j.h);
    const valid = judged.filter((j) => j.ok).map((j) => j.h);
    const refs = valid.map((h) => this.citizenRefs.refOf(h));
    const accounts = new Map((await this.store.getMany<AccountDoc>(Collections.accounts, [...new Set(refs)])).map((doc) => [doc.id, doc]));
    const electronic = valid.filter((_, i) => {
      const state = accounts.get(refs[i]!) ?? initialAccountState;
      return canReceiveElectronically(state, agencyId, this.config.consentPolicy, at).electronic;
    });
    return { electronic, invalid };
  }
}
