import type { JWTPayload } from 'jose';
import { parseHetu } from '@asiointitili/domain/identity/hetu';
import type { OidcConfig } from '../config/app-config';
import type { CitizenRefs } from '../identity/citizen-ref';
import { AuthError } from './auth-error';
import { AMRS, isAmr, type Acr, type Amr, type CitizenPrincipal } from './principal';

/**
 * The provider's values for the levels of assurance this service accepts: our own words, the
 * eIDAS URIs, and the Finnish trust network's (FTN) levels 2 and 3 as Suomi.fi sends them.
 * Anything else, `low` included, is too weak for a citizen call.
 */
export const ACR_VALUES: Readonly<Record<string, Acr>> = {
  substantial: 'substantial',
  high: 'high',
  'http://eidas.europa.eu/LoA/substantial': 'substantial',
  'http://eidas.europa.eu/LoA/high': 'high',
  'http://ftn.ficora.fi/2017/loa2': 'substantial',
  'http://ftn.ficora.fi/2017/loa3': 'high',
};

/**
 * A citizen from verified claims, by the given claim names: the one mapping for provider tokens,
 * development tokens and the web inbox's sign-in, so all answer the same statuses and accept the
 * same `acr` (incl. the eIDAS and FTN URIs) and `amr` values. Order matters: who
 * it is (401 without a valid henkilötunnus), then how strongly they signed in (403 below
 * substantial), then how (401 without a method this service records).
 */
export function citizenFromClaims(payload: JWTPayload, names: OidcConfig['claims'], citizenRefs: CitizenRefs): CitizenPrincipal {
  const hetuClaim = payload[names.hetu];
  if (typeof hetuClaim !== 'string') throw new AuthError('invalid-claims', `a citizen token needs the ${names.hetu} claim (henkilötunnus)`);
  const parsed = parseHetu(hetuClaim);
  // The reason only: the parser's detail may repeat parts of the code.
  if (!parsed.ok) throw new AuthError('invalid-claims', `the ${names.hetu} claim is not a valid henkilötunnus (${parsed.reason})`);
  const acrClaim = payload[names.acr];
  const acr = typeof acrClaim === 'string' && Object.hasOwn(ACR_VALUES, acrClaim) ? ACR_VALUES[acrClaim] : undefined;
  if (acr === undefined) throw new AuthError('insufficient-assurance', 'citizen calls need identification at level of assurance substantial or high');
  const amr = firstKnownAmr(payload[names.amr]);
  if (amr === undefined) throw new AuthError('invalid-claims', `the ${names.amr} claim names no identification method of ${AMRS.join(', ')}`);
  const hetu = parsed.hetu.normalised;
  return { role: 'citizen', hetu, citizenRef: citizenRefs.refOf(hetu), acr, amr };
}

/** RFC 8176 allows a list of methods; the first this service knows is the one recorded. */
function firstKnownAmr(claim: unknown): Amr | undefined {
  const values: readonly unknown[] = Array.isArray(claim) ? claim : [claim];
  return values.find(isAmr);
}
