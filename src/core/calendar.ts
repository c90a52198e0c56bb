// Civil-date arithmetic and public-holiday calendars for legal deadline computation.
//
// Law (catalog /work/shared/domain/legal-fr-eu.md):
// - FR.TIME.CALENDAR_DAYS: consumer-law periods are counted in calendar days on civil dates.
// - FR.TIME.REG_1182_71 (L221-19, Reg. 1182/71): a period whose last day is a Saturday, Sunday or
//   public holiday runs to the end of the next working day -> `Calendar.rollToWorkingDay`.
// - FR.TIME.MONTHS: a period in months ends on the same day number in the target month, or on the
//   last day of that month when it has no such day -> `addMonths` / `addYears`.
// - §6: national holidays (C. trav. L3133-1), Alsace-Moselle extras, overseas abolition days.
//
// Design:
// - A civil date is a plain ISO string 'YYYY-MM-DD' (years 1900-2999, the contract's range; proleptic Gregorian).
//   All arithmetic is integer arithmetic on day numbers (Howard Hinnant's days_from_civil /
//   civil_from_days). No JS Date or millisecond arithmetic is used; luxon is used only for a zone's
//   UTC offset: `todayIn` (at the HTTP edge) and `civilDateInZone` (the date of a date-time).
// - Which holidays count is DATA (`CalendarSpec`), not code: the spec lives in each jurisdiction's
//   rules/<code>/jurisdiction.json (rules/README.md documents the France mapping), and the tests
//   build the calendar from that shipped file.
// - The only state is deterministic memos: holiday maps per (region, year), filled lazily, and the day
//   number of each date string met (bounded).
import Holidays from 'date-holidays-parser';
import { holidayDataFor, knownCountries } from './holiday-data.js';
import { DateTime, IANAZone } from 'luxon';

/** A civil (calendar) date, ISO 'YYYY-MM-DD', no time and no zone. */
export type CivilDate = string;

/** Thrown when a string is not a real civil date 'YYYY-MM-DD' (or arithmetic leaves 1900-2999). */
export class InvalidCivilDateError extends RangeError {
  readonly code = 'INVALID_CIVIL_DATE';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCivilDateError';
  }
}

// ---------------------------------------------------------------------------------------------
// Civil-date arithmetic
// ---------------------------------------------------------------------------------------------

// The contract's range (src/contract/primitives.ts): a date computed outside it is an InvalidCivilDateError,
// which the HTTP layer answers with a 422.
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of the proleptic Gregorian date y-m-d (Hinnant, days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400; // [0, 399]
  const mp = (m + 9) % 12; // March = 0 ... February = 11
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil (Hinnant, civil_from_days). */
function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097; // [0, 146096]
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // [0, 365]
  const mp = Math.floor((5 * doy + 2) / 153); // [0, 11]
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1; // [1, 31]
  const m = mp < 10 ? mp + 3 : mp - 9; // [1, 12]
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const MIN_DAY = daysFromCivil(MIN_YEAR, 1, 1);
const MAX_DAY = daysFromCivil(MAX_YEAR, 12, 31);

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function format(y: number, m: number, d: number): CivilDate {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/**
 * The day number of a civil date (days since 1970-01-01), or NaN when it is not a real date. Every date
 * comparison of every rule goes through here, and a verdict compares the same few dates again and
 * again: each string's answer is remembered (at most 10,000, then forgotten all at once), which made a
 * verdict ~8 % cheaper in instructions (npm run bench:instructions) than parsing it every time.
 */
export function dayNumberOf(s: unknown): number {
  if (typeof s !== 'string' || s.length !== 10) return NaN;
  let z = dayNumbers.get(s);
  if (z === undefined) {
    z = parseDayNumber(s);
    rememberDayNumber(s, z);
  }
  return z;
}
function rememberDayNumber(s: string, z: number): void {
  if (dayNumbers.size >= 10_000) dayNumbers.clear();
  dayNumbers.set(s, z);
}
const dayNumbers = new Map<string, number>();

/** dayNumberOf of a 10-character string, read with char codes. */
function parseDayNumber(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  return daysFromCivil(y, mo, d);
}

/** Splits a civil date into [year, month, day], or returns null when it is not a real date. */
function split(s: unknown): [number, number, number] | null {
  if (Number.isNaN(dayNumberOf(s))) return null;
  const str = s as string;
  return [digits(str, 0, 4), digits(str, 5, 7), digits(str, 8, 10)];
}

/** The decimal number written in s[from, to), or -1 when a character is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function splitOrThrow(s: unknown): [number, number, number] {
  const parts = split(s);
  if (parts === null) throw invalid(s);
  return parts;
}

function toDayNumber(s: CivilDate): number {
  const z = dayNumberOf(s);
  if (Number.isNaN(z)) throw invalid(s);
  return z;
}

function invalid(s: unknown): InvalidCivilDateError {
  return new InvalidCivilDateError(`not a real civil date YYYY-MM-DD (years 1900-2999): ${JSON.stringify(s)}`);
}

/**
 * The civil date of a day number. Verdicts compute the same few dates again and again: each day's text
 * is remembered (at most 10,000, then forgotten all at once), and so is the text's day number, which
 * dayNumberOf then finds as the very string it was given.
 */
function fromDayNumber(z: number): CivilDate {
  let text = dateTexts.get(z);
  if (text === undefined) {
    if (!Number.isSafeInteger(z) || z < MIN_DAY || z > MAX_DAY) {
      throw new InvalidCivilDateError(`date arithmetic left the supported range 1900-01-01..2999-12-31`);
    }
    const [y, m, d] = civilFromDays(z);
    // Internalized (a property name is): the memos' lookups compare such keys by address, not by
    // character (-0.4 % instructions a verdict).
    text = Object.keys({ [format(y, m, d)]: 0 })[0]!;
    if (dateTexts.size >= 10_000) dateTexts.clear();
    dateTexts.set(z, text);
    rememberDayNumber(text, z);
  }
  return text;
}
const dateTexts = new Map<number, CivilDate>();

function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${String(n)}`);
}

/** True when `s` is a real civil date 'YYYY-MM-DD' (2026-02-30 is not). */
export function isCivilDate(s: unknown): s is CivilDate {
  return !Number.isNaN(dayNumberOf(s));
}

/** Validates and returns `s`. Throws InvalidCivilDateError on malformed or impossible dates. */
export function parseCivilDate(s: string): CivilDate {
  splitOrThrow(s);
  return s;
}

/** `d` plus `n` calendar days (n may be negative). */
export function addDays(d: CivilDate, n: number): CivilDate {
  assertInteger(n, 'day count');
  return fromDayNumber(toDayNumber(d) + n);
}

/**
 * `d` plus `n` months (n may be negative), FR.TIME.MONTHS: same day number in the target month,
 * or the last day of the target month when it has no such day (01-31 + 1 month = 02-28/29).
 */
export function addMonths(d: CivilDate, n: number): CivilDate {
  assertInteger(n, 'month count');
  const [y, m, day] = civilFromDays(toDayNumber(d));
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  if (ty < MIN_YEAR || ty > MAX_YEAR) {
    throw new InvalidCivilDateError(`date arithmetic left the supported range 1900-01-01..2999-12-31`);
  }
  return fromDayNumber(daysFromCivil(ty, tm, Math.min(day, daysInMonth(ty, tm))));
}

/** `d` plus `n` years = addMonths(d, 12n) (29 Feb + 1 year = 28 Feb). */
export function addYears(d: CivilDate, n: number): CivilDate {
  assertInteger(n, 'year count');
  return addMonths(d, 12 * n);
}

/** Signed number of calendar days from `a` to `b` (b - a). */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** ISO weekday: 1 = Monday ... 6 = Saturday, 7 = Sunday. */
export function weekday(d: CivilDate): number {
  const z = toDayNumber(d); // 0 = 1970-01-01, a Thursday (4)
  return (((z + 3) % 7) + 7) % 7 + 1;
}

export function isWeekend(d: CivilDate): boolean {
  return weekday(d) >= 6;
}

/** -1, 0 or 1. Both arguments are validated. */
export function compareDates(a: CivilDate, b: CivilDate): -1 | 0 | 1 {
  const x = toDayNumber(a);
  const y = toDayNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Latest of the given dates. Throws RangeError when called with none. */
export function maxDate(...ds: CivilDate[]): CivilDate {
  if (ds.length === 0) throw new RangeError('maxDate needs at least one date');
  let best = ds[0] as CivilDate;
  for (const d of ds) if (compareDates(d, best) > 0) best = d;
  toDayNumber(best);
  return best;
}

/** Earliest of the given dates. Throws RangeError when called with none. */
export function minDate(...ds: CivilDate[]): CivilDate {
  if (ds.length === 0) throw new RangeError('minDate needs at least one date');
  let best = ds[0] as CivilDate;
  for (const d of ds) if (compareDates(d, best) < 0) best = d;
  toDayNumber(best);
  return best;
}

// ---------------------------------------------------------------------------------------------
// The civil date of an instant in a zone
// ---------------------------------------------------------------------------------------------

/** `YYYY-MM-DDThh:mm[:ss[.f]]` then `Z` or `±hh:mm`, as the contract accepts a date-time. */
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

// A zone's UTC offset (seconds) at the start of each UTC day, when it still holds at the end of it:
// the offset of any instant of that day. On a day the offset changes (a DST switch), the instant's
// own offset is asked (no zone changes its offset twice within a day). Asking the zone (luxon,
// through Intl) is the costly part, and date-times fall on few days: the answers are kept.
const dayOffsets = new Map<string, { zone: IANAZone; days: Map<number, number | null> }>();

function zoneOffsetSeconds(zone: IANAZone, utcSecond: number): number {
  // luxon gives minutes, fractional for the local mean times of the early 1900s (Paris: +0:09:21).
  return Math.round(zone.offset(utcSecond * 1000) * 60);
}

function offsetAt(zoneName: string, utcSecond: number): number {
  let known = dayOffsets.get(zoneName);
  if (known === undefined) {
    if (!IANAZone.isValidZone(zoneName)) throw new RangeError(`unknown time zone ${JSON.stringify(zoneName)}`);
    dayOffsets.set(zoneName, (known = { zone: IANAZone.create(zoneName), days: new Map() }));
  }
  const { zone, days } = known;
  const day = Math.floor(utcSecond / 86400);
  let steady = days.get(day);
  if (steady === undefined) {
    const start = zoneOffsetSeconds(zone, day * 86400);
    steady = start === zoneOffsetSeconds(zone, day * 86400 + 86399) ? start : null;
    if (days.size >= 100_000) days.clear(); // bounded (the zones are the rulesets' few)
    days.set(day, steady);
  }
  return steady ?? zoneOffsetSeconds(zone, utcSecond);
}

/**
 * The civil date, in IANA `zone`, of a date-time with an explicit offset (the contract's shape, e.g.
 * 2026-10-01T23:30:00-05:00 is 2026-10-02 in Europe/Paris). Not held to the calendar's range: the
 * caller checks the date it gets. Throws InvalidCivilDateError when `dateTime` has not that shape.
 */
export function civilDateInZone(dateTime: string, zone: string): CivilDate {
  const m = DATE_TIME_RE.exec(dateTime);
  if (m === null) throw new InvalidCivilDateError(`not a date-time with offset: ${JSON.stringify(dateTime)}`);
  const offset = m[7] === undefined ? 0 : (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 3600 + Number(m[9]) * 60);
  // Seconds since 1970-01-01T00:00Z; a fraction of a second never moves the date (offsets are whole seconds).
  const utc = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6] ?? 0) - offset;
  const [y, mo, d] = civilFromDays(Math.floor((utc + offsetAt(zone, utc)) / 86400));
  return format(y, mo, d);
}

/**
 * The civil date of instant `now` in IANA `zone` (e.g. 'Europe/Paris'). Only for the HTTP edge,
 * to default `asOf`; the core never reads the clock. Throws RangeError on an unknown zone.
 */
export function todayIn(zone: string, now: Date): CivilDate {
  const dt = DateTime.fromJSDate(now, { zone });
  if (!dt.isValid) throw new RangeError(`cannot compute today's date in zone ${JSON.stringify(zone)}: ${dt.invalidExplanation ?? dt.invalidReason ?? 'invalid'}`);
  return parseCivilDate(dt.toISODate());
}

// ---------------------------------------------------------------------------------------------
// Holiday calendars
// ---------------------------------------------------------------------------------------------

/**
 * Which days are public holidays for one country, as data.
 *
 * Region codes (keys of `regions`, `extraHolidays[].regions`, `excludeRules[].regions`) are ISO
 * 3166-2 codes in upper case, e.g. "FR-67". In `extraHolidays[].regions` and
 * `excludeRules[].regions` the bare country code (e.g. "FR") means "everywhere": the national
 * calendar and every region.
 */
export interface CalendarSpec {
  /** ISO 3166-1 alpha-2 country, as known to date-holidays, e.g. "FR". */
  country: string;
  /** date-holidays types that count as holidays, e.g. ["public"]. */
  holidayTypes: string[];
  /**
   * ISO 3166-2 code -> date-holidays target. The target is resolved in this order:
   * 1. null: the national calendar of `country`;
   * 2. "STATE" or "STATE/REGION" when STATE is a key of `getStates(country)` (case-insensitive);
   * 3. a date-holidays country code (for territories it models as separate countries).
   * Anything else makes `makeCalendar` throw (a configuration error).
   */
  regions: Record<string, string | null>;
  /** Holidays date-holidays lacks: fixed day 'MM-DD' every year ('02-29' only in leap years). */
  extraHolidays?: { date: string; regions: string[]; name: string; validFrom?: CivilDate; validTo?: CivilDate }[];
  /**
   * date-holidays entries to drop although their type counts, matched on the date-holidays `rule`
   * string (language independent, e.g. "easter -2" = Good Friday), in the listed regions and,
   * optionally, only for holiday dates within [validFrom, validTo].
   */
  excludeRules?: { rule: string; regions: string[]; reason?: string; validFrom?: CivilDate; validTo?: CivilDate }[];
}

export interface HolidayEntry {
  date: CivilDate;
  name: string;
}

export interface Calendar {
  /** True when `d` is a public holiday in `region` (unknown or absent region: national calendar). */
  isHoliday(d: CivilDate, region?: string | null): boolean;
  /** The holiday's name (date-holidays' local-language name, or the spec's), or null. */
  holidayName(d: CivilDate, region?: string | null): string | null;
  /** Not a Saturday, not a Sunday, not a holiday. */
  isWorkingDay(d: CivilDate, region?: string | null): boolean;
  /**
   * Reg. 1182/71 art. 3(4): `d` if it is a working day, else the next working day.
   * `rolledFrom` is the original `d` when it moved, null otherwise.
   */
  rollToWorkingDay(d: CivilDate, region?: string | null): { date: CivilDate; rolledFrom: CivilDate | null };
  /** All holidays of `year` in `region`, sorted by date. */
  holidays(year: number, region?: string | null): HolidayEntry[];
  /** The ISO 3166-2 code whose calendar is used for `region`, or null for the national calendar. */
  resolveRegion(region?: string | null): string | null;
}

/** Thrown by makeCalendar when a CalendarSpec is inconsistent with date-holidays or malformed. */
export class CalendarSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarSpecError';
  }
}

const REGION_CODE_RE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;
const MONTH_DAY_RE = /^(\d{2})-(\d{2})$/;
/** Upper bound on consecutive non-working days; more means a broken spec. */
const MAX_ROLL_DAYS = 366;

function normaliseRegion(region: string | null | undefined): string | null {
  if (typeof region !== 'string') return null;
  const r = region.trim().toUpperCase();
  return r === '' ? null : r;
}

/** The ISO 3166-2 codes `spec` knows (keys of `spec.regions`), sorted. */
export function knownRegions(spec: CalendarSpec): string[] {
  return Object.keys(spec.regions)
    .map((k) => k.trim().toUpperCase())
    .sort();
}

interface Target {
  state?: string;
  region?: string;
  country: string;
}

interface ScopedRule {
  everywhere: boolean;
  regions: Set<string>;
  validFrom: CivilDate | null;
  validTo: CivilDate | null;
}

function scope(
  spec: CalendarSpec,
  known: Set<string>,
  regions: unknown,
  validFrom: unknown,
  validTo: unknown,
  where: string,
): ScopedRule {
  if (!Array.isArray(regions) || regions.length === 0) {
    throw new CalendarSpecError(`${where}: regions must be a non-empty list (use "${spec.country}" for everywhere)`);
  }
  const set = new Set<string>();
  let everywhere = false;
  for (const raw of regions) {
    const r = normaliseRegion(typeof raw === 'string' ? raw : null);
    if (r === spec.country.toUpperCase()) everywhere = true;
    else if (r !== null && known.has(r)) set.add(r);
    else throw new CalendarSpecError(`${where}: unknown region ${JSON.stringify(raw)} (not a key of regions nor the country code)`);
  }
  for (const [v, name] of [[validFrom, 'validFrom'], [validTo, 'validTo']] as const) {
    if (v !== undefined && v !== null && !isCivilDate(v)) throw new CalendarSpecError(`${where}: ${name} is not a civil date`);
  }
  return {
    everywhere,
    regions: set,
    validFrom: isCivilDate(validFrom) ? validFrom : null,
    validTo: isCivilDate(validTo) ? validTo : null,
  };
}

function applies(rule: ScopedRule, regionKey: string | null, date: CivilDate): boolean {
  if (!rule.everywhere && (regionKey === null || !rule.regions.has(regionKey))) return false;
  if (rule.validFrom !== null && date < rule.validFrom) return false;
  if (rule.validTo !== null && date > rule.validTo) return false;
  return true;
}

/**
 * Builds a Calendar from data. Validates the spec against date-holidays (throws CalendarSpecError)
 * and copies it, so later changes to `spec` have no effect.
 *
 * Holidays are read from date-holidays' `getHolidays(year)`: each entry counts on the civil date of
 * its `date` field (local to the country/state zone), one day per entry. France has no multi-day
 * or part-day entries; a country that has them would need an extension here.
 */
export function makeCalendar(spec: CalendarSpec): Calendar {
  if (spec === null || typeof spec !== 'object') throw new CalendarSpecError('spec must be an object');
  const countries = knownCountries();
  const country = typeof spec.country === 'string' ? spec.country.toUpperCase() : '';
  if (!/^[A-Z]{2}$/.test(country) || !countries.has(country)) {
    throw new CalendarSpecError(`unknown country for date-holidays: ${JSON.stringify(spec.country)}`);
  }
  // The data of the country and of the territories date-holidays models as countries, nothing else.
  const named = Object.values(spec.regions ?? {}).flatMap((v) => (typeof v === 'string' && countries.has(v.trim().toUpperCase()) ? [v.trim().toUpperCase()] : []));
  const data = holidayDataFor([country, ...named]);
  const probe = new Holidays(data);
  if (!Array.isArray(spec.holidayTypes) || spec.holidayTypes.length === 0) {
    throw new CalendarSpecError('holidayTypes must be a non-empty list such as ["public"]');
  }
  const types = new Set(spec.holidayTypes);
  const states = probe.getStates(country) ?? {};

  // Resolve every region key to a date-holidays target.
  const targets = new Map<string | null, Target>(); // null key = national
  targets.set(null, { country });
  for (const [rawKey, value] of Object.entries(spec.regions ?? {})) {
    const key = rawKey.trim().toUpperCase();
    if (!REGION_CODE_RE.test(key)) throw new CalendarSpecError(`region key ${JSON.stringify(rawKey)} is not an ISO 3166-2 code`);
    if (targets.has(key)) throw new CalendarSpecError(`region ${key} is listed twice`);
    if (value === null) {
      targets.set(key, { country });
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') throw new CalendarSpecError(`region ${key}: target must be a string or null`);
    const [stateRaw, regionRaw, ...rest] = value.trim().split('/');
    const stateKey = Object.keys(states).find((s) => s.toUpperCase() === (stateRaw ?? '').toUpperCase());
    if (stateKey !== undefined && rest.length === 0) {
      if (regionRaw === undefined) {
        targets.set(key, { country, state: stateKey });
        continue;
      }
      const subRegions = probe.getRegions(country, stateKey) ?? {};
      const regionKey = Object.keys(subRegions).find((r) => r.toUpperCase() === regionRaw.toUpperCase());
      if (regionKey !== undefined) {
        targets.set(key, { country, state: stateKey, region: regionKey });
        continue;
      }
    } else if (regionRaw === undefined && countries.has(value.trim().toUpperCase())) {
      targets.set(key, { country: value.trim().toUpperCase() });
      continue;
    }
    throw new CalendarSpecError(`region ${key}: ${JSON.stringify(value)} is neither a date-holidays state of ${country} nor a country`);
  }
  const known = new Set([...targets.keys()].filter((k): k is string => k !== null));

  const extras = (spec.extraHolidays ?? []).map((e, i) => {
    const where = `extraHolidays[${i}]`;
    const m = typeof e.date === 'string' ? MONTH_DAY_RE.exec(e.date) : null;
    const month = m ? Number(m[1]) : 0;
    const day = m ? Number(m[2]) : 0;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) {
      throw new CalendarSpecError(`${where}: date must be MM-DD, got ${JSON.stringify(e.date)}`);
    }
    if (typeof e.name !== 'string' || e.name === '') throw new CalendarSpecError(`${where}: name is required`);
    return { month, day, name: e.name, scope: scope(spec, known, e.regions, e.validFrom, e.validTo, where) };
  });
  const exclusions = (spec.excludeRules ?? []).map((x, i) => {
    const where = `excludeRules[${i}]`;
    if (typeof x.rule !== 'string' || x.rule === '') throw new CalendarSpecError(`${where}: rule is required`);
    return { rule: x.rule, scope: scope(spec, known, x.regions, x.validFrom, x.validTo, where) };
  });

  // Deterministic lazy memo: date-holidays instances per region, holiday maps per (region, year).
  const instances = new Map<string | null, Holidays>();
  const memo = new Map<string | null, Map<number, Map<CivilDate, string>>>();

  function instanceFor(regionKey: string | null): Holidays {
    let hd = instances.get(regionKey);
    if (hd === undefined) {
      const t = targets.get(regionKey) as Target;
      if (t.state === undefined) hd = new Holidays(data, t.country);
      else if (t.region === undefined) hd = new Holidays(data, t.country, t.state);
      else hd = new Holidays(data, t.country, t.state, t.region);
      instances.set(regionKey, hd);
    }
    return hd;
  }

  function build(regionKey: string | null, year: number): Map<CivilDate, string> {
    const days = new Map<CivilDate, string>();
    const add = (date: CivilDate, name: string): void => {
      const prev = days.get(date);
      days.set(date, prev === undefined || prev === name ? name : `${prev} / ${name}`);
    };
    for (const h of instanceFor(regionKey).getHolidays(year)) {
      if (!types.has(h.type)) continue;
      const date = h.date.slice(0, 10);
      if (!isCivilDate(date)) continue;
      if (exclusions.some((x) => x.rule === h.rule && applies(x.scope, regionKey, date))) continue;
      add(date, h.name);
    }
    for (const e of extras) {
      if (e.day > daysInMonth(year, e.month)) continue; // 02-29 outside leap years
      const date = format(year, e.month, e.day);
      if (applies(e.scope, regionKey, date)) add(date, e.name);
    }
    return new Map([...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  function holidayMap(regionKey: string | null, year: number): Map<CivilDate, string> {
    let years = memo.get(regionKey);
    if (years === undefined) memo.set(regionKey, (years = new Map()));
    let days = years.get(year);
    if (days === undefined) {
      days = build(regionKey, year);
      years.set(year, days);
    }
    return days;
  }

  // Regions as requests spell them, resolved once (bounded: region codes come from clients).
  const resolved = new Map<string, string | null>();
  function resolveRegion(region?: string | null): string | null {
    if (region === null || region === undefined) return null;
    let key = resolved.get(region);
    if (key === undefined) {
      const r = normaliseRegion(region);
      key = r !== null && known.has(r) ? r : null;
      if (resolved.size < 1000) resolved.set(region, key);
    }
    return key;
  }

  function holidayName(d: CivilDate, region?: string | null): string | null {
    toDayNumber(d);
    return holidayMap(resolveRegion(region), digits(d, 0, 4)).get(d) ?? null;
  }

  function isHoliday(d: CivilDate, region?: string | null): boolean {
    return holidayName(d, region) !== null;
  }

  function isWorkingDay(d: CivilDate, region?: string | null): boolean {
    return !isWeekend(d) && !isHoliday(d, region);
  }

  return {
    isHoliday,
    holidayName,
    isWorkingDay,
    resolveRegion,
    rollToWorkingDay(d: CivilDate, region?: string | null) {
      const first = toDayNumber(d);
      const regionKey = resolveRegion(region);
      for (let z = first; z <= first + MAX_ROLL_DAYS; z++) {
        if ((((z + 3) % 7) + 7) % 7 >= 5) continue; // Saturday or Sunday
        const cur = z === first ? d : fromDayNumber(z);
        if (!holidayMap(regionKey, digits(cur, 0, 4)).has(cur)) return { date: cur, rolledFrom: z === first ? null : d };
      }
      throw new CalendarSpecError(`no working day within ${MAX_ROLL_DAYS} days after ${d}: the calendar spec is broken`);
    },
    holidays(year: number, region?: string | null): HolidayEntry[] {
      if (!Number.isSafeInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw new RangeError(`year out of range: ${String(year)}`);
      return [...holidayMap(resolveRegion(region), year)].map(([date, name]) => ({ date, name }));
    },
  };
}
