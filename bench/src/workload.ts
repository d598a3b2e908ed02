/**
 * What the bench sends: a pre-filled tax decision of realistic size (about 700 bytes of JSON),
 * ordinary delivery, with an externalId as an agency's integration would set one.
 */
export interface BenchMessage {
  readonly recipient: { readonly hetu: string };
  readonly kind: 'decision';
  readonly delivery: 'ordinary';
  readonly subject: string;
  readonly body: string;
  readonly replyAllowed: false;
  readonly externalId: string;
}

const SUBJECT = 'Verotuspäätös 2025 – veronpalautus';
const BODY =
  'Verotuksesi vuodelta 2025 on valmistunut. Sinulle maksetaan veronpalautusta 412,37 euroa ' +
  'tilillesi FI00 1234 5600 0007 85. Palautus maksetaan 3.8.2026. Verotuspäätös ja sen ' +
  'liitteenä oleva erittely ovat luettavissa OmaVerossa. Jos haluat hakea muutosta ' +
  'verotukseesi, tee oikaisuvaatimus Verohallinnon oikaisulautakunnalle viimeistään ' +
  'viiden vuoden kuluessa verovuoden päättymisestä. Muutoksenhakuohjeet ovat päätöksen liitteenä. ' +
  'Tämä viesti on lähetetty Suomi.fi-viesteihin, koska olet ottanut palvelun käyttöön.';

export function messageInput(hetu: string, externalId: string): BenchMessage {
  return { recipient: { hetu }, kind: 'decision', delivery: 'ordinary', subject: SUBJECT, body: BODY, replyAllowed: false, externalId };
}
