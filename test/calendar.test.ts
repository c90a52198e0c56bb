// Expected values come from the catalog (/work/shared/domain/legal-fr-eu.md): §1.2 worked examples,
// §6 holiday lists and Easter table, FR.TIME.MONTHS. Date facts not in the catalog (weekdays, leap
// years, DST switch dates) are checked against luxon as an independent oracle or stated inline.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime, IANAZone } from 'luxon';
import DateHolidays from 'date-holidays';
import HolidaysParser from 'date-holidays-parser';
import { data as dateHolidaysData } from 'date-holidays/data';
import { HOLIDAYS_JSON, holidayDataFor } from '../src/core/holiday-data.js';
import { loadRuleset } from '../src/core/index.js';
import { DEFAULT_RULES_DIR as RULES_DIR } from '../src/rules-dir.js';
import {
  type CalendarSpec,
  CalendarSpecError,
  InvalidCivilDateError,
  addDays,
  addMonths,
  addYears,
  civilDateInZone,
  compareDates,
  dayNumberOf,
  daysBetween,
  isCivilDate,
  knownRegions,
  makeCalendar,
  maxDate,
  minDate,
  parseCivilDate,
  todayIn,
  weekday,
} from '../src/core/calendar.js';

// The calendar that ships: built by the ruleset loader from rules/fr/jurisdiction.json, as in production.
const FR = loadRuleset(RULES_DIR).jurisdictions.get('FR')!;
const SHIPPED_SPEC = FR.spec.calendar as CalendarSpec;
const cal = FR.calendar;
const ALSACE_MOSELLE = ['FR-57', 'FR-67', 'FR-68'] as const;

/** FR.WITHDRAWAL.COUNTING (§1.2): anchor + 14 calendar days, then roll to a working day. */
function withdrawalDeadline(anchor: string, region: string | null = null) {
  return cal.rollToWorkingDay(addDays(anchor, 14), region);
}

t.test('§1.2 worked examples (national calendar)', async (t) => {
  // [anchor, anchor ISO weekday, raw day 14, adjusted deadline] — copied from the §1.2 table.
  const rows: [string, number, string, string][] = [
    ['2026-11-02', 1, '2026-11-16', '2026-11-16'], // ordinary working day
    ['2026-10-28', 3, '2026-11-11', '2026-11-12'], // Armistice
    ['2026-05-11', 1, '2026-05-25', '2026-05-26'], // Whit Monday
    ['2026-12-11', 5, '2026-12-25', '2026-12-28'], // Christmas, then weekend
    ['2026-12-12', 6, '2026-12-26', '2026-12-28'], // Saturday, then Sunday
    ['2027-03-12', 5, '2027-03-26', '2027-03-26'], // Good Friday is not national
    ['2028-12-12', 2, '2028-12-26', '2028-12-26'], // 26 Dec is not national
  ];
  for (const [anchor, wd, raw, deadline] of rows) {
    t.equal(weekday(anchor), wd, `${anchor} weekday`);
    t.equal(addDays(anchor, 14), raw, `${anchor} + 14`);
    const r = withdrawalDeadline(anchor);
    t.equal(r.date, deadline, `${anchor} deadline`);
    t.equal(r.rolledFrom, raw === deadline ? null : raw, `${anchor} rolledFrom`);
  }
});

t.test('§1.2 worked examples (Alsace-Moselle)', async (t) => {
  for (const region of ALSACE_MOSELLE) {
    // Good Friday 2027-03-26, weekend, Easter Monday 2027-03-29 -> Tue 2027-03-30.
    t.same(withdrawalDeadline('2027-03-12', region), { date: '2027-03-30', rolledFrom: '2027-03-26' }, `${region} Good Friday`);
    // 26 December 2028 (a Tuesday) is a holiday only there -> Wed 2028-12-27.
    t.same(withdrawalDeadline('2028-12-12', region), { date: '2028-12-27', rolledFrom: '2028-12-26' }, `${region} 26 Dec`);
    // The other rows do not change in Alsace-Moselle.
    t.equal(withdrawalDeadline('2026-11-02', region).date, '2026-11-16');
    t.equal(withdrawalDeadline('2026-10-28', region).date, '2026-11-12');
    t.equal(withdrawalDeadline('2026-05-11', region).date, '2026-05-26');
    t.equal(withdrawalDeadline('2026-12-11', region).date, '2026-12-28');
    t.equal(withdrawalDeadline('2026-12-12', region).date, '2026-12-28');
  }
});

// §6 FR.CALENDAR.NATIONAL_HOLIDAYS (L3133-1) with the Easter-based dates of FR.CALENDAR.EASTER.
const NATIONAL: Record<number, string[]> = {
  2026: ['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25'],
  2027: ['2027-01-01', '2027-03-29', '2027-05-01', '2027-05-08', '2027-05-06', '2027-05-17', '2027-07-14', '2027-08-15', '2027-11-01', '2027-11-11', '2027-12-25'],
  2028: ['2028-01-01', '2028-04-17', '2028-05-01', '2028-05-08', '2028-05-25', '2028-06-05', '2028-07-14', '2028-08-15', '2028-11-01', '2028-11-11', '2028-12-25'],
};
const GOOD_FRIDAY: Record<number, string> = { 2026: '2026-04-03', 2027: '2027-03-26', 2028: '2028-04-14' };

t.test('national holidays: each of the 11 L3133-1 days, and nothing else', async (t) => {
  for (const [year, days] of Object.entries(NATIONAL)) {
    t.equal(days.length, 11);
    for (const d of days) {
      t.ok(cal.isHoliday(d), `${d} is a national holiday`);
      t.ok(cal.isHoliday(d, null), `${d} with region null`);
      t.type(cal.holidayName(d), 'string');
      t.notOk(cal.isWorkingDay(d), `${d} is not a working day`);
    }
    t.same(cal.holidays(Number(year)).map((h) => h.date), [...days].sort(), `${year}: exactly the L3133-1 days`);
  }
  // Named spot checks (Whit Monday stays a holiday even as "journée de solidarité").
  t.match(cal.holidayName('2026-05-25'), /pentec/i);
  t.match(cal.holidayName('2027-05-17'), /pentec/i);
  t.match(cal.holidayName('2026-11-11'), /armistice/i);
  t.match(cal.holidayName('2026-07-14'), /nationale|14/i);
});

t.test('Good Friday and 26 December are not national holidays', async (t) => {
  for (const [year, gf] of Object.entries(GOOD_FRIDAY)) {
    t.notOk(cal.isHoliday(gf), `Good Friday ${gf}`);
    t.equal(cal.holidayName(gf), null);
    t.notOk(cal.isHoliday(`${year}-12-26`), `${year}-12-26`);
  }
  t.ok(cal.isWorkingDay('2027-03-26'), 'Good Friday 2027 (a Friday) is a working day nationally');
  t.ok(cal.isWorkingDay('2028-12-26'), '26 Dec 2028 (a Tuesday) is a working day nationally');
  // Observances (Pentecost Sunday 2026-05-24, Mothers' Day) do not count as holidays.
  t.notOk(cal.isHoliday('2026-05-24'));
  t.notOk(cal.isHoliday('2026-05-31'));
});

t.test('Alsace-Moselle: national days plus Good Friday and 26 December', async (t) => {
  for (const region of [...ALSACE_MOSELLE, 'FR-6AE']) {
    for (const [year, days] of Object.entries(NATIONAL)) {
      const gf = GOOD_FRIDAY[Number(year)] as string;
      t.ok(cal.isHoliday(gf, region), `${region} Good Friday ${gf}`);
      t.ok(cal.isHoliday(`${year}-12-26`, region), `${region} ${year}-12-26`);
      for (const d of days) t.ok(cal.isHoliday(d, region), `${region} ${d}`);
      t.equal(cal.holidays(Number(year), region).length, 13, `${region} ${year}: 11 + 2`);
    }
    t.equal(cal.resolveRegion(region), region);
  }
});

t.test('overseas abolition-of-slavery days (§6 FR.CALENDAR.OVERSEAS)', async (t) => {
  const rows: [string[], string][] = [
    [['FR-YT', 'FR-976'], '04-27'],
    [['FR-MQ', 'FR-972'], '05-22'],
    [['FR-GP', 'FR-971'], '05-27'],
    [['FR-MF'], '05-27'],
    [['FR-GF', 'FR-973'], '06-10'],
    [['FR-BL'], '10-09'],
    [['FR-RE', 'FR-974'], '12-20'],
  ];
  for (const year of [2026, 2027]) {
    for (const [regions, md] of rows) {
      const d = `${year}-${md}`;
      t.notOk(cal.isHoliday(d), `${d} is not national`);
      for (const region of regions) {
        t.ok(cal.isHoliday(d, region), `${region} ${d}`);
        t.notOk(cal.isHoliday(GOOD_FRIDAY[year] as string, region), `${region}: no Good Friday`);
        t.notOk(cal.isHoliday(`${year}-12-26`, region), `${region}: no 26 Dec`);
        for (const n of NATIONAL[year] as string[]) t.ok(cal.isHoliday(n, region), `${region} ${n}`);
        t.equal(cal.holidays(year, region).length, 12, `${region} ${year}: 11 + 1`);
      }
    }
  }
  // Good Friday 2027 (26 March) in the Antilles: not a public holiday (C. trav. L3133-1 and L3422-2; a
  // customary day off there), so goods received on 12 March 2027 have until that Friday, as in mainland
  // France, while in Alsace-Moselle the period rolls over Good Friday, the weekend and Easter Monday.
  for (const region of ['FR-GP', 'FR-971', 'FR-MQ', 'FR-972']) t.equal(withdrawalDeadline('2027-03-12', region).date, '2027-03-26', region);
  t.equal(withdrawalDeadline('2027-03-12', 'FR-57').date, '2027-03-30');
  // La Réunion: 20 Dec 2027 is a Monday -> a deadline falling on it moves to Tue 21 Dec.
  t.equal(weekday('2027-12-20'), 1);
  t.same(cal.rollToWorkingDay('2027-12-20', 'FR-RE'), { date: '2027-12-21', rolledFrom: '2027-12-20' });
  t.same(cal.rollToWorkingDay('2027-12-20'), { date: '2027-12-20', rolledFrom: null });
});

t.test('roll to the next working day', async (t) => {
  // Weekdays: §1.2 gives Mon 2026-11-16 and Sat 2026-12-26.
  t.same(cal.rollToWorkingDay('2026-12-26'), { date: '2026-12-28', rolledFrom: '2026-12-26' }, 'Saturday');
  t.same(cal.rollToWorkingDay('2026-11-15'), { date: '2026-11-16', rolledFrom: '2026-11-15' }, 'Sunday');
  t.same(cal.rollToWorkingDay('2026-12-25'), { date: '2026-12-28', rolledFrom: '2026-12-25' }, 'holiday then weekend');
  t.same(cal.rollToWorkingDay('2026-12-25', 'FR-67'), { date: '2026-12-28', rolledFrom: '2026-12-25' }, 'A-M: 26 Dec is a Saturday');
  // Easter 2026: Good Friday 04-03, Easter Monday 04-06 -> Alsace-Moselle Friday rolls to Tuesday.
  t.same(cal.rollToWorkingDay('2026-04-03', 'FR-57'), { date: '2026-04-07', rolledFrom: '2026-04-03' });
  t.same(cal.rollToWorkingDay('2026-04-03'), { date: '2026-04-03', rolledFrom: null });
  t.same(cal.rollToWorkingDay('2026-11-16'), { date: '2026-11-16', rolledFrom: null }, 'working day stays');
  // 31 Dec 2027 is a Friday (2027-01-01 + 364 days); 1 Jan 2028 Saturday, 2 Jan Sunday.
  t.same(cal.rollToWorkingDay('2028-01-01'), { date: '2028-01-03', rolledFrom: '2028-01-01' }, 'across a year boundary');
  t.ok(cal.isWorkingDay('2026-11-16'));
  t.notOk(cal.isWorkingDay('2026-11-15'));
  t.notOk(cal.isWorkingDay('2026-12-26'));
});

t.test('unknown regions fall back to the national calendar', async (t) => {
  for (const region of ['FR-75', 'FR-99', 'XX-1', 'garbage', '']) {
    t.equal(cal.resolveRegion(region), null, region);
    t.notOk(cal.isHoliday('2027-03-26', region), `${region}: Good Friday`);
    t.ok(cal.isHoliday('2027-03-29', region), `${region}: Easter Monday`);
    t.equal(withdrawalDeadline('2027-03-12', region).date, '2027-03-26');
  }
  t.equal(cal.resolveRegion(undefined), null);
  t.equal(cal.resolveRegion(' fr-67 '), 'FR-67', 'case and blanks are normalised');
  const known = knownRegions(SHIPPED_SPEC);
  for (const r of ['FR-57', 'FR-67', 'FR-68', 'FR-YT', 'FR-MQ', 'FR-GP', 'FR-MF', 'FR-GF', 'FR-BL', 'FR-RE', 'FR-971', 'FR-972', 'FR-973', 'FR-974', 'FR-976']) {
    t.ok(known.includes(r), `knownRegions has ${r}`);
  }
  t.same(known, [...known].sort());
});

t.test("only the named countries' holiday data is kept, and it gives date-holidays' own holidays", async (t) => {
  // The file the calendar reads is the data date-holidays' module exports (an upgrade that moved or
  // changed it would fail here, not in production).
  t.same(JSON.parse(readFileSync(HOLIDAYS_JSON, 'utf8')), dateHolidaysData, 'holidays.json is date-holidays/data');
  const part = holidayDataFor(['GP', 'FR', 'FR']) as { holidays: object };
  t.same(Object.keys(part.holidays), ['FR', 'GP'], 'the part holds the countries asked for, once each');
  t.equal(holidayDataFor(['FR', 'GP']), part, 'one part per set of countries');
  t.throws(() => holidayDataFor(['FR', 'ZZ']), /no data for ZZ/);
  // Every target of the shipped spec, over a century: the parser on the part gives what date-holidays'
  // own class gives on the whole data, entry for entry.
  const countries = Object.values(SHIPPED_SPEC.regions ?? {}).filter((v): v is string => typeof v === 'string' && /^[A-Z]{2}$/.test(v));
  const shipped = holidayDataFor(['FR', ...countries]);
  let compared = 0;
  for (const target of new Set(Object.values(SHIPPED_SPEC.regions ?? {}))) {
    const args: [string, ...string[]] = target === null ? ['FR'] : /^[A-Z]{2}$/.test(target) ? [target] : ['FR', ...target.split('/')];
    const ours = new HolidaysParser(shipped, ...(args as [string]));
    const own = new DateHolidays(...(args as [string]));
    for (let year = 1950; year <= 2060; year++, compared++) t.same(ours.getHolidays(year), own.getHolidays(year), `${args.join('/')} ${year}`);
  }
  t.ok(compared >= 10 * 111, `${compared} region-years compared`);
});

t.test('spec is data: extra holidays, dated exclusions, validation', async (t) => {
  const spec: CalendarSpec = {
    country: 'FR',
    holidayTypes: ['public'],
    regions: { 'FR-67': '67', 'FR-75': null },
    extraHolidays: [
      { date: '06-15', regions: ['FR-67'], name: 'Test regional day' },
      { date: '02-29', regions: ['FR'], name: 'Leap day (test)' },
    ],
    // FR.CALENDAR.STABILITY: a future law abolishing Easter Monday from 2028 would be data like this.
    excludeRules: [{ rule: 'easter 1', regions: ['FR'], validFrom: '2028-01-01' }],
  };
  const c = makeCalendar(spec);
  t.ok(c.isHoliday('2026-06-15', 'FR-67'));
  t.equal(c.holidayName('2026-06-15', 'FR-67'), 'Test regional day');
  t.notOk(c.isHoliday('2026-06-15'));
  t.notOk(c.isHoliday('2026-06-15', 'FR-75'));
  t.ok(c.isHoliday('2028-02-29'));
  t.notOk(c.isHoliday('2027-02-28'));
  t.ok(c.isHoliday('2027-03-29'), 'Easter Monday 2027 still counts');
  t.notOk(c.isHoliday('2028-04-17'), 'Easter Monday 2028 excluded');
  t.notOk(c.isHoliday('2028-04-17', 'FR-67'), 'exclusion with country code applies to regions too');
  t.equal(c.resolveRegion('FR-75'), 'FR-75');
  t.ok(c.isHoliday('2026-11-11', 'FR-75'));

  // The memo is the only state; results are deterministic and independent of later spec edits.
  const before = c.holidays(2026, 'FR-67');
  spec.regions['FR-67'] = null;
  (spec.extraHolidays ?? []).length = 0;
  t.same(c.holidays(2026, 'FR-67'), before);

  // The loader builds the calendar from the file as written: a calendar made straight from the JSON
  // text gives the same holidays everywhere (what these tests check is what verdicts use).
  const fromFile = makeCalendar(JSON.parse(readFileSync(join(RULES_DIR, 'fr', 'jurisdiction.json'), 'utf8')).calendar as CalendarSpec);
  for (const region of [null, ...knownRegions(SHIPPED_SPEC)])
    for (const year of [2026, 2027]) t.same(fromFile.holidays(year, region), cal.holidays(year, region), `${region ?? 'national'} ${year}`);

  const bad = (s: Partial<CalendarSpec>) => () => makeCalendar({ country: 'FR', holidayTypes: ['public'], regions: {}, ...s });
  t.throws(bad({ country: 'ZZ' }), CalendarSpecError);
  t.throws(bad({ holidayTypes: [] }), CalendarSpecError);
  t.throws(bad({ regions: { 'FR-99': '99' } }), CalendarSpecError, 'unknown date-holidays state');
  t.throws(bad({ regions: { Alsace: '67' } }), CalendarSpecError, 'key must be ISO 3166-2');
  t.throws(bad({ extraHolidays: [{ date: '02-30', regions: ['FR'], name: 'x' }] }), CalendarSpecError);
  t.throws(bad({ extraHolidays: [{ date: '05-01', regions: ['FR-67'], name: 'x' }] }), CalendarSpecError, 'region not in spec');
  t.throws(bad({ excludeRules: [{ rule: 'easter 1', regions: [] }] }), CalendarSpecError);
});

t.test('addMonths / addYears (FR.TIME.MONTHS)', async (t) => {
  t.equal(addMonths('2026-01-31', 1), '2026-02-28', '31 Jan -> end of Feb (common year)');
  t.equal(addMonths('2028-01-31', 1), '2028-02-29', '31 Jan -> end of Feb (leap year)');
  t.equal(addMonths('2026-01-31', 2), '2026-03-31', 'same day number when it exists');
  t.equal(addMonths('2026-01-31', 3), '2026-04-30');
  t.equal(addMonths('2028-02-29', 12), '2029-02-28', '29 Feb + 12 months');
  t.equal(addYears('2028-02-29', 1), '2029-02-28', '29 Feb + 1 year');
  t.equal(addYears('2028-02-29', 2), '2030-02-28');
  t.equal(addYears('2028-02-29', 4), '2032-02-29');
  t.equal(addMonths('2028-02-29', 1), '2028-03-29');
  t.equal(addMonths('2026-08-31', 1), '2026-09-30', '31 Aug -> 30 Sep');
  t.equal(addMonths('2026-08-31', 6), '2027-02-28', '31 Aug -> end of Feb');
  t.equal(addMonths('2026-08-31', 12), '2027-08-31');
  t.equal(addMonths('2026-08-31', 24), '2028-08-31', '24-month presumption');
  t.equal(addMonths('2026-12-15', 1), '2027-01-15', 'year rollover');
  t.equal(addMonths('2026-03-31', -1), '2026-02-28', 'negative');
  t.equal(addMonths('2027-01-15', -13), '2025-12-15');
  t.equal(addMonths('2026-05-10', 0), '2026-05-10');
  t.equal(addYears('2026-11-22', -2), '2024-11-22');
});

t.test('daysBetween / addDays across DST changes and leap years', async (t) => {
  // Europe/Paris DST in 2026: starts Sun 2026-03-29, ends Sun 2026-10-25 (last Sundays).
  t.equal(daysBetween('2026-03-28', '2026-03-30'), 2, 'spring forward');
  t.equal(daysBetween('2026-10-24', '2026-10-26'), 2, 'fall back');
  t.equal(addDays('2026-03-28', 1), '2026-03-29');
  t.equal(addDays('2026-03-28', 2), '2026-03-30');
  t.equal(addDays('2026-10-25', 1), '2026-10-26');
  t.equal(daysBetween('2026-03-01', '2026-11-01'), 245, 'Mar..Oct = 31+30+31+30+31+31+30+31');
  t.equal(daysBetween('2026-01-01', '2027-01-01'), 365);
  t.equal(daysBetween('2028-01-01', '2029-01-01'), 366);
  t.equal(daysBetween('2028-02-28', '2028-03-01'), 2, '2028 is a leap year');
  t.equal(daysBetween('2027-02-28', '2027-03-01'), 1);
  t.equal(daysBetween('2100-02-28', '2100-03-01'), 1, '2100 is not a leap year');
  t.equal(daysBetween('2000-02-28', '2000-03-01'), 2, '2000 is a leap year');
  t.equal(daysBetween('2026-11-16', '2026-11-02'), -14, 'signed');
  t.equal(daysBetween('2026-11-02', '2026-11-02'), 0);
  t.equal(addDays('2028-02-28', 1), '2028-02-29');
  t.equal(addDays('2027-02-28', 1), '2027-03-01');
  t.equal(addDays('2026-12-31', 1), '2027-01-01');
  t.equal(addDays('2027-01-01', -1), '2026-12-31');
  t.equal(addDays('2026-05-25', 0), '2026-05-25');
  t.equal(weekday('1970-01-01'), 4, 'Thursday');
  t.equal(weekday('2000-01-01'), 6, 'Saturday');
  t.equal(weekday('2026-12-27'), 7, 'Sunday');
  t.equal(weekday('1969-12-29'), 1, 'Monday before the epoch');

  // Independent oracle: luxon in UTC, every day from 1999-12-01 for 12,000 days.
  let d = '1999-12-01';
  let ok = true;
  const base = DateTime.fromISO('1999-12-01', { zone: 'utc' });
  for (let i = 0; i < 12000 && ok; i++) {
    const ref = base.plus({ days: i });
    if (d !== ref.toISODate() || weekday(d) !== ref.weekday || daysBetween('1999-12-01', d) !== i) ok = false;
    d = addDays(d, 1);
  }
  t.ok(ok, 'addDays / weekday / daysBetween agree with luxon over 12,000 days');
  t.equal(addDays('1999-12-01', 11999), base.plus({ days: 11999 }).toISODate());
});

t.test('day numbers are remembered per string, and right after the memo is emptied', async (t) => {
  // Date.UTC as the oracle: 25,000 consecutive dates from 1950 (the memo keeps 10,000), then the first
  // ones again, long forgotten, and impossible dates between possible ones.
  const dates: [string, number][] = [];
  for (let z = Date.UTC(1950, 0, 1) / 86_400_000, i = 0; i < 25_000; i++, z++) dates.push([new Date(z * 86_400_000).toISOString().slice(0, 10), z]);
  const wrong = [...dates, ...dates.slice(0, 1_000)].filter(([s, z]) => dayNumberOf(s) !== z);
  t.same(wrong, [], 'every date, read once, then again after the memo was emptied');
  const asked: [string, boolean][] = [['2026-02-30', false], ['2026-02-28', true], ['2026-02-30', false], ['2026-13-01', false], ['2026-12-31', true], ['2026-13-01', false]];
  for (const [s, real] of asked) t.equal(Number.isNaN(dayNumberOf(s)), !real, `${s}, asked ${real ? 'as a real date' : 'as an impossible one'}`);
  t.ok(Number.isNaN(dayNumberOf(20260105)) && Number.isNaN(dayNumberOf('2026-02-3')), 'not a date string: NaN');
});

t.test('the text of a computed date is remembered per day, and right after the memo is emptied', async (t) => {
  // Date.UTC as the oracle: 25,000 days from 1950 reached by addDays and addMonths (the memo keeps
  // 10,000), then the first ones again, long forgotten; each text read back as the day it names.
  const epoch = '1970-01-01';
  const day = (z: number) => new Date(z * 86_400_000).toISOString().slice(0, 10);
  const first = Date.UTC(1950, 0, 1) / 86_400_000;
  const zs = Array.from({ length: 25_000 }, (_, i) => first + i);
  const wrong = [...zs, ...zs.slice(0, 1_000)].filter((z) => addDays(epoch, z) !== day(z) || dayNumberOf(addDays(epoch, z)) !== z);
  t.same(wrong, [], 'addDays, then again after the memo was emptied');
  const months = Array.from({ length: 1_200 }, (_, i) => i - 600);
  const expected = (n: number) => {
    const d = new Date(Date.UTC(2024, 0 + n, 31));
    // JavaScript rolls 31 into the next month; the civil rule stops at the month's last day.
    return d.getUTCDate() === 31 ? day(d.getTime() / 86_400_000) : day(Date.UTC(2024, n + 1, 0) / 86_400_000);
  };
  t.same(months.filter((n) => addMonths('2024-01-31', n) !== expected(n)), [], 'addMonths from a 31st, 50 years each way');
});

t.test('invalid dates are rejected', async (t) => {
  const invalid = ['2026-02-30', '2027-02-29', '1900-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-05', '26-01-05', '2026/01/05', '2026-01-05T00:00:00Z', ' 2026-01-05', '', '0000-01-01', '1899-12-31', '3000-01-01', '+2026-01-05'];
  for (const s of invalid) {
    t.notOk(isCivilDate(s), `isCivilDate(${JSON.stringify(s)})`);
    t.throws(() => parseCivilDate(s), InvalidCivilDateError, `parseCivilDate(${JSON.stringify(s)})`);
  }
  t.notOk(isCivilDate(20260105));
  t.notOk(isCivilDate(null));
  for (const s of ['2028-02-29', '2000-02-29', '2026-12-31', '1900-01-01', '2999-12-31']) {
    t.ok(isCivilDate(s), s);
    t.equal(parseCivilDate(s), s);
  }
  t.throws(() => addDays('2026-02-30', 1), InvalidCivilDateError);
  t.throws(() => addMonths('2026-02-30', 1), InvalidCivilDateError);
  t.throws(() => daysBetween('2026-01-01', '2026-02-30'), InvalidCivilDateError);
  t.throws(() => weekday('2026-02-30'), InvalidCivilDateError);
  t.throws(() => compareDates('2026-02-30', '2026-01-01'), InvalidCivilDateError);
  t.throws(() => cal.isHoliday('2026-02-30'), InvalidCivilDateError);
  t.throws(() => cal.rollToWorkingDay('2026-02-30'), InvalidCivilDateError);
  t.throws(() => addDays('2026-01-01', 1.5), RangeError);
  t.throws(() => addDays('2999-12-31', 1), InvalidCivilDateError);
  t.throws(() => addMonths('1900-01-31', -1), InvalidCivilDateError);
});

t.test('compareDates / maxDate / minDate', async (t) => {
  t.equal(compareDates('2026-11-02', '2026-11-16'), -1);
  t.equal(compareDates('2026-11-16', '2026-11-02'), 1);
  t.equal(compareDates('2026-11-16', '2026-11-16'), 0);
  t.equal(compareDates('2026-12-31', '2027-01-01'), -1);
  // FR.WITHDRAWAL.START.MULTI_DELIVERY: start = last receipt.
  t.equal(maxDate('2026-10-28', '2026-11-02', '2026-10-30'), '2026-11-02');
  t.equal(minDate('2026-10-28', '2026-11-02', '2026-10-30'), '2026-10-28');
  t.equal(maxDate('2026-05-11'), '2026-05-11');
  t.throws(() => maxDate(), RangeError);
  t.throws(() => minDate(), RangeError);
  t.throws(() => maxDate('2026-01-01', '2026-02-30'), InvalidCivilDateError);
});

t.test('todayIn', async (t) => {
  // Paris is UTC+1 in November, Réunion UTC+4, Martinique UTC-4 (no DST).
  t.equal(todayIn('Europe/Paris', new Date('2026-11-22T23:30:00Z')), '2026-11-23');
  t.equal(todayIn('Europe/Paris', new Date('2026-11-22T22:59:59Z')), '2026-11-22');
  t.equal(todayIn('UTC', new Date('2026-11-22T23:30:00Z')), '2026-11-22');
  t.equal(todayIn('Indian/Reunion', new Date('2026-06-30T21:00:00Z')), '2026-07-01');
  t.equal(todayIn('America/Martinique', new Date('2026-07-01T02:00:00Z')), '2026-06-30');
  t.throws(() => todayIn('Mars/Olympus', new Date('2026-11-22T12:00:00Z')), RangeError);
});

t.test('civilDateInZone: the date of a date-time with offset in the jurisdiction\'s zone', async (t) => {
  // Stated inline: Paris is UTC+2 until 2026-10-25 01:00Z, then UTC+1; it went to UTC+2 on 2026-03-29 at 01:00Z.
  t.equal(civilDateInZone('2026-10-01T23:30:00-05:00', 'Europe/Paris'), '2026-10-02');
  t.equal(civilDateInZone('2026-10-01T23:30:00+02:00', 'Europe/Paris'), '2026-10-01');
  t.equal(civilDateInZone('2026-10-24T21:59:59Z', 'Europe/Paris'), '2026-10-24');
  t.equal(civilDateInZone('2026-10-24T22:00:00Z', 'Europe/Paris'), '2026-10-25');
  t.equal(civilDateInZone('2026-11-22T22:59:59.999Z', 'Europe/Paris'), '2026-11-22');
  t.equal(civilDateInZone('2026-11-22T23:00Z', 'Europe/Paris'), '2026-11-23');
  t.equal(civilDateInZone('2026-03-28T23:00:00Z', 'Europe/Paris'), '2026-03-29'); // 00:00 CET, the day of the switch
  t.equal(civilDateInZone('2026-03-29T21:59:59Z', 'Europe/Paris'), '2026-03-29'); // 23:59:59 CEST
  t.equal(civilDateInZone('2026-03-29T22:00:00Z', 'Europe/Paris'), '2026-03-30');
  t.equal(civilDateInZone('2026-06-30T21:00:00Z', 'Indian/Reunion'), '2026-07-01');
  t.equal(civilDateInZone('2026-07-01T02:00:00+00:00', 'America/Martinique'), '2026-06-30');
  t.equal(civilDateInZone('1900-01-01T00:05:00+00:00', 'Europe/Paris'), '1900-01-01'); // Paris mean time, +0:09:21
  t.equal(civilDateInZone('1900-01-01T00:05:00+01:00', 'Europe/Paris'), '1899-12-31'); // outside the range: the caller checks
  t.throws(() => civilDateInZone('2026-11-22', 'Europe/Paris'), InvalidCivilDateError);
  t.throws(() => civilDateInZone('2026-11-22T12:00:00Z', 'Mars/Olympus'), RangeError);
});

t.test('civilDateInZone agrees with luxon on random instants and around every switch of offset', async (t) => {
  const zones = ['Europe/Paris', 'Indian/Reunion', 'America/Cayenne', 'Pacific/Noumea', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
  const luxonDate = (iso: string, zone: string) => DateTime.fromISO(iso, { setZone: true }).setZone(zone).toISODate();
  const offsets = ['Z', '+02:00', '-05:00', '+14:00', '-12:00', '+05:45', '-03:30'];
  // Deterministic pseudo-random instants, 1900-2999, with every offset shape.
  let seed = 20261202;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  let disagreements = 0;
  let checked = 0;
  const check = (iso: string, zone: string) => {
    checked++;
    if (civilDateInZone(iso, zone) !== luxonDate(iso, zone)) {
      disagreements++;
      if (disagreements <= 5) t.fail(`${iso} in ${zone}: ${civilDateInZone(iso, zone)}, luxon ${luxonDate(iso, zone)}`);
    }
  };
  for (let i = 0; i < 4000; i++) {
    const ms = Date.UTC(1900, 0, 2) + Math.floor(next() * (Date.UTC(2999, 11, 30) - Date.UTC(1900, 0, 2)));
    const offset = offsets[i % offsets.length]!;
    const local = DateTime.fromMillis(ms, { zone: offset === 'Z' ? 'utc' : `UTC${offset}` });
    const iso = local.toFormat("yyyy-MM-dd'T'HH:mm:ss") + offset;
    check(iso, zones[i % zones.length]!);
  }
  // Each switch of offset of Paris 1900-2100 (and Lord Howe's half-hour ones 1990-2040), found day by day
  // then to the second, probed one second and one minute either side.
  for (const [name, from, to] of [['Europe/Paris', 1900, 2100], ['Australia/Lord_Howe', 1990, 2040]] as const) {
    const zone = IANAZone.create(name);
    const end = Date.UTC(to, 0, 1);
    for (let day = Date.UTC(from, 0, 1); day < end; day += 86_400_000) {
      if (zone.offset(day) === zone.offset(day + 86_400_000)) continue;
      let lo = day; // offset of `day` here, another at `hi`
      let hi = day + 86_400_000;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (zone.offset(mid) === zone.offset(day)) lo = mid;
        else hi = mid;
      }
      for (const delta of [-60, -1, 0, 1, 60])
        check(DateTime.fromMillis(hi + delta * 1000, { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'"), name);
    }
  }
  t.equal(disagreements, 0, `${checked} date-times, none disagrees`);
  t.ok(checked > 5000);
});
