import { describe, expect, it } from 'vitest';
import { easterSunday, frenchPublicHolidays } from '../../../src/features/french-holidays';

// Reference dates: the French government's published calendars (service-public.fr) for 2020–2026.
const MOVABLE: Record<number, { easterMonday: string; ascension: string; whitMonday: string }> = {
  2020: { easterMonday: '2020-04-13', ascension: '2020-05-21', whitMonday: '2020-06-01' },
  2021: { easterMonday: '2021-04-05', ascension: '2021-05-13', whitMonday: '2021-05-24' },
  2022: { easterMonday: '2022-04-18', ascension: '2022-05-26', whitMonday: '2022-06-06' },
  2023: { easterMonday: '2023-04-10', ascension: '2023-05-18', whitMonday: '2023-05-29' },
  2024: { easterMonday: '2024-04-01', ascension: '2024-05-09', whitMonday: '2024-05-20' },
  2025: { easterMonday: '2025-04-21', ascension: '2025-05-29', whitMonday: '2025-06-09' },
  2026: { easterMonday: '2026-04-06', ascension: '2026-05-14', whitMonday: '2026-05-25' },
};

describe('French public holidays', () => {
  it('computes Easter Sunday', () => {
    expect(easterSunday(2020)).toEqual({ month: 4, day: 12 });
    expect(easterSunday(2024)).toEqual({ month: 3, day: 31 });
    expect(easterSunday(2025)).toEqual({ month: 4, day: 20 });
    expect(easterSunday(2038)).toEqual({ month: 4, day: 25 }); // latest possible date
    expect(easterSunday(2285)).toEqual({ month: 3, day: 22 }); // earliest possible date
  });

  for (const [year, m] of Object.entries(MOVABLE)) {
    it(`lists the 11 holidays of ${year}, movable ones included`, () => {
      const hs = frenchPublicHolidays(Number(year));
      const dates = hs.map((h) => h.date);
      expect(hs).toHaveLength(11);
      expect(dates).toContain(m.easterMonday);
      expect(dates).toContain(m.ascension);
      expect(dates).toContain(m.whitMonday);
      for (const fixed of ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'])
        expect(dates).toContain(`${year}-${fixed}`);
      expect(hs.find((h) => h.date === m.ascension)!.name).toBe('Ascension');
    });
  }
});
