import type { RemoveWebhook, SubscribeWebhook } from '../commands';
import { EventOutOfPlaceError } from '../event-out-of-place';
import type { AgencyRegistered, WebhookRemoved, WebhookSubscribed } from '../events';
import { given } from '../testing/given-when-then';
import { agencyDecider, MAX_ACTIVE_WEBHOOKS, type AgencyState } from './agency.decider';

const registered: AgencyRegistered = {
  type: 'AgencyRegistered',
  data: { agencyId: 'kela', name: 'Kansaneläkelaitos', businessId: '0246246-0', registeredAt: '2025-11-24T10:00:00.000Z' },
};

const subscribe = (webhookId = 'wh_1', url = 'https://hooks.kela.example/feed'): SubscribeWebhook => ({
  type: 'SubscribeWebhook',
  agencyId: 'kela',
  webhookId,
  url,
  at: '2025-11-25T08:00:00.000Z',
});
const subscribed = (webhookId = 'wh_1', url = 'https://hooks.kela.example/feed'): WebhookSubscribed => ({
  type: 'WebhookSubscribed',
  data: { agencyId: 'kela', webhookId, url, subscribedAt: '2025-11-25T08:00:00.000Z' },
});
const remove = (webhookId = 'wh_1'): RemoveWebhook => ({ type: 'RemoveWebhook', agencyId: 'kela', webhookId, at: '2025-11-26T08:00:00.000Z' });
const removed = (webhookId = 'wh_1'): WebhookRemoved => ({ type: 'WebhookRemoved', data: { agencyId: 'kela', webhookId, removedAt: '2025-11-26T08:00:00.000Z' } });

const webhooksOf = (state: AgencyState) => (state.registered ? state.webhooks : []);

describe('agency webhooks', () => {
  it('records a subscription with its URL and time, and no secret', () => {
    const outcome = given(agencyDecider, registered).when(subscribe());
    expect(outcome.events).toEqual([subscribed()]);
    expect(Object.keys(outcome.events[0]!.data).sort()).toEqual(['agencyId', 'subscribedAt', 'url', 'webhookId']);
    expect(webhooksOf(outcome.state)).toEqual([{ webhookId: 'wh_1', url: 'https://hooks.kela.example/feed', subscribedAt: '2025-11-25T08:00:00.000Z' }]);
  });

  it('refuses a webhook for an agency that is not registered', () => {
    expect(given(agencyDecider).when(subscribe()).error).toMatchObject({ kind: 'not-found', code: 'agency-not-found' });
    expect(given(agencyDecider).when(remove()).error).toMatchObject({ kind: 'not-found', code: 'agency-not-found' });
  });

  it('records nothing when the same subscription is repeated with the same id and URL', () => {
    expect(given(agencyDecider, registered, subscribed()).when(subscribe()).events).toEqual([]);
  });

  it('refuses the same id with another URL', () => {
    expect(given(agencyDecider, registered, subscribed()).when(subscribe('wh_1', 'https://other.example/')).error).toMatchObject({ kind: 'conflict', code: 'webhook-exists' });
  });

  it('refuses a second active webhook to the same URL, and allows it again after removal', () => {
    expect(given(agencyDecider, registered, subscribed()).when(subscribe('wh_2')).error).toMatchObject({ kind: 'conflict', code: 'webhook-url-subscribed' });
    expect(given(agencyDecider, registered, subscribed(), removed()).when(subscribe('wh_2')).events).toEqual([subscribed('wh_2')]);
  });

  it(`allows at most ${MAX_ACTIVE_WEBHOOKS} active webhooks; a removed one frees its place`, () => {
    const full = Array.from({ length: MAX_ACTIVE_WEBHOOKS }, (_, i) => subscribed(`wh_${i}`, `https://hooks.example/${i}`));
    expect(given(agencyDecider, registered, ...full).when(subscribe('wh_x', 'https://hooks.example/x')).error).toMatchObject({ kind: 'conflict', code: 'too-many-webhooks' });
    expect(given(agencyDecider, registered, ...full, removed('wh_0')).when(subscribe('wh_x', 'https://hooks.example/x')).events).toHaveLength(1);
  });

  it('removes a webhook once; removing it again records nothing', () => {
    const outcome = given(agencyDecider, registered, subscribed()).when(remove());
    expect(outcome.events).toEqual([removed()]);
    expect(webhooksOf(outcome.state)[0]).toMatchObject({ removedAt: '2025-11-26T08:00:00.000Z' });
    expect(given(agencyDecider, registered, subscribed(), removed()).when(remove()).events).toEqual([]);
  });

  it('answers not found for removing a webhook that was never subscribed', () => {
    expect(given(agencyDecider, registered).when(remove('wh_9')).error).toMatchObject({ kind: 'not-found', code: 'webhook-not-found' });
  });

  it('refuses to fold a removal of a webhook that was never subscribed, or a subscription repeated in the log', () => {
    expect(() => given(agencyDecider, registered, removed())).toThrow(EventOutOfPlaceError);
    expect(() => given(agencyDecider, registered, subscribed(), subscribed())).toThrow(EventOutOfPlaceError);
  });
});
