import type { ArgumentMetadata } from '@nestjs/common';
import { hetuCheckCharacter } from '@asiointitili/domain';
import { IsHetu } from '../http/dto/validators';
import { createValidationPipe } from '../http/validation';
import { serviceToday, withServiceClock } from './service-date';

const clockAt = (iso: string) => ({ now: () => new Date(iso) });

/** A henkilötunnus of someone born on 2026-12-08 (day, month, year 26 with the 2000s sign A). */
const bornDecember8 = `081226A123${hetuCheckCharacter('081226123')}`;

class Recipient {
  @IsHetu()
  hetu!: string;
}

const metadata: ArgumentMetadata = { type: 'body', metatype: Recipient };

describe('the service clock of the validation rules', () => {
  it('refuses a henkilötunnus born after the service clock\'s today, and accepts it from that day on', async () => {
    await expect(createValidationPipe(clockAt('2026-12-07T12:00:00Z')).transform({ hetu: bornDecember8 }, metadata)).rejects.toThrow();
    // Helsinki is UTC+2 in December: 22:30 UTC on the 7th is already the 8th there.
    await expect(createValidationPipe(clockAt('2026-12-07T22:30:00Z')).transform({ hetu: bornDecember8 }, metadata)).resolves.toEqual({ hetu: bornDecember8 });
  });

  it('is in reach only while the validation runs, and an inner clock gives way to the outer one after it', () => {
    const outer = clockAt('2030-01-01T12:00:00Z');
    const inner = clockAt('2031-06-15T12:00:00Z');
    const seen = withServiceClock(outer, () => [serviceToday(), withServiceClock(inner, () => serviceToday()), serviceToday()]);
    expect(seen).toEqual(['2030-01-01', '2031-06-15', '2030-01-01']);
    expect(serviceToday()).not.toBe('2030-01-01');
  });

  it('gives way to the outer clock also when the validation throws', () => {
    const outer = clockAt('2030-01-01T12:00:00Z');
    const today = withServiceClock(outer, () => {
      expect(() => withServiceClock(clockAt('2031-06-15T12:00:00Z'), () => { throw new Error('invalid'); })).toThrow('invalid');
      return serviceToday();
    });
    expect(today).toBe('2030-01-01');
  });
});
