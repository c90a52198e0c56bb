// Shared building blocks of the v1 contract. zod is the only source of shapes: these schemas give
// the validation, the TypeScript types and the OpenAPI document.
import { z } from 'zod';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A date-time with an explicit offset, as the contract asks ("date-times with offset").
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (lengths[month - 1] ?? 0);
}

function realDateOf(value: string, pattern: RegExp): boolean {
  const m = pattern.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export const CivilDateSchema = z
  .string()
  .regex(ISO_DATE, 'must be a date YYYY-MM-DD')
  .refine((v) => realDateOf(v, ISO_DATE), 'is not a real calendar date')
  .meta({ format: 'date', example: '2026-10-03' });

/** A civil date, or a date-time with offset (only its civil date in the jurisdiction's zone counts). */
export const DateOrDateTimeSchema = z
  .string()
  .refine(
    (v) => realDateOf(v, ISO_DATE) || realDateOf(v, ISO_DATE_TIME),
    'must be a real date YYYY-MM-DD or a date-time with offset (e.g. 2026-10-01T14:30:00+02:00)',
  )
  .meta({ example: '2026-10-01' });

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
