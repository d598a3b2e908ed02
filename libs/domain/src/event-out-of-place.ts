/**
 * A stream whose events cannot have been written by the domain's own deciders (a message event
 * before its MessageSent, a second MessageSent). `evolve` throws this rather than invent a state:
 * an auditor's replay must report a damaged stream, never fold it into something plausible.
 */
export class EventOutOfPlaceError extends Error {
  constructor(
    readonly eventType: string,
    readonly why: string,
  ) {
    super(`${eventType} cannot be applied here: ${why}`);
    this.name = 'EventOutOfPlaceError';
  }
}
