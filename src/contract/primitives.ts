// Shared building blocks of the v1 contract. zod is the only source of shapes: these schemas give
// the validation, the TypeScript types and the OpenAPI document.
import { z } from 'zod';

/** The calendar's range: every date the contract accepts, and every date computed from one, lies in it. */
export const MIN_CONTRACT_YEAR = 1900;
export const MAX_CONTRACT_YEAR = 2999;
const RANGE = `${MIN_CONTRACT_YEAR}-01-01 to ${MAX_CONTRACT_YEAR}-12-31`;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A date-time with an explicit offset, as the contract asks ("date-times with offset").
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
// The same shapes with the year range written out, for the OpenAPI document (clients see the range).
const YEAR = '(?:19\\d{2}|2\\d{3})';
const DATE_PATTERN = new RegExp(`^${YEAR}-\\d{2}-\\d{2}$`);
const DATE_OR_DATE_TIME_PATTERN = new RegExp(`^${YEAR}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:\\d{2}))?$`);

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < MIN_CONTRACT_YEAR || year > MAX_CONTRACT_YEAR) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (lengths[month - 1] ?? 0);
}

function realDateOf(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** A real date, a real time of day (seconds up to 59) and an offset of at most 14 hours. */
function realDateTimeOf(value: string): boolean {
  const m = ISO_DATE_TIME.exec(value);
  if (m === null || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  const within = (v: string | undefined, max: number) => v === undefined || Number(v) <= max;
  return within(m[4], 23) && within(m[5], 59) && within(m[6], 59) && within(m[7], 14) && within(m[8], 59) && !(Number(m[7]) === 14 && Number(m[8]) > 0);
}

/** A civil date YYYY-MM-DD of years 1900-2999 (the calendar's range): anything else is a 400 naming the field. */
export const CivilDateSchema = z
  .string()
  .regex(DATE_PATTERN, { error: `must be a date YYYY-MM-DD from ${RANGE}`, abort: true })
  .refine((v) => realDateOf(v), 'is not a real calendar date')
  .meta({ format: 'date', example: '2026-10-03', description: `A civil date from ${RANGE}.` });

/**
 * A civil date, or a date-time with offset (only its civil date in the jurisdiction's zone counts, and it
 * too must fall in 1900-2999: checked where the zone is known).
 */
export const DateOrDateTimeSchema = z
  .string()
  .regex(DATE_OR_DATE_TIME_PATTERN, {
    error: `must be a date YYYY-MM-DD or a date-time with offset (e.g. 2026-10-01T14:30:00+02:00) from ${RANGE}`,
    abort: true,
  })
  .refine(
    (v) => realDateOf(v) || realDateTimeOf(v),
    'must be a real date YYYY-MM-DD or a date-time with offset (e.g. 2026-10-01T14:30:00+02:00)',
  )
  .meta({ example: '2026-10-01' });

/**
 * A date of a legal text's version (Code civil articles date from 1804): not a contract date, never used
 * in date arithmetic, so it is not held to the calendar's range.
 */
export const TextVersionDateSchema = z
  .string()
  .regex(ISO_DATE, 'must be a date YYYY-MM-DD')
  .meta({ format: 'date', example: '2016-07-01' });

export const MoneySchema = z.number().nonnegative().max(1e9).meta({ description: 'Decimal amount in the order currency.' });

export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .meta({ example: 'EUR' });

export const CountrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as FR')
  .meta({ example: 'FR' });

export const LocaleSchema = z.enum(['fr', 'en']).meta({ id: 'Locale', description: 'Language of the human-readable texts.' });
export type Locale = z.infer<typeof LocaleSchema>;

/** A text given in every supported locale. */
export const LocalizedTextSchema = z.strictObject({ fr: z.string().min(1), en: z.string().min(1) }).meta({ id: 'LocalizedText', description: 'A text in every supported language.' });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;
