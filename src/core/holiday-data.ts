// date-holidays' data for the countries a calendar names, not for the whole world.
//
// date-holidays holds its data (every country it knows) as a JavaScript module: imported, its source
// text (1.6 MB) and the object built from it (~2 MB) stay in memory for the life of the process,
// although a calendar reads one country and the territories date-holidays models as countries. So the
// calendar runs the parser date-holidays itself runs (date-holidays-parser, its own class is that parser
// bound to the whole data) over the part it needs, read from the package's holidays.json, the file that
// module is generated from (test/calendar.test.ts checks they are the same data, and that the part gives
// the same holidays as date-holidays' own class).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type HolidayData = { holidays: Record<string, unknown>; [key: string]: unknown };

/** date-holidays' holidays.json: every country's data, with the names and metadata they share. */
export const HOLIDAYS_JSON = join(dirname(createRequire(import.meta.url).resolve('date-holidays/package.json')), 'data', 'holidays.json');

let countries: ReadonlySet<string> | undefined;
const parts = new Map<string, HolidayData>();

function readAll(): HolidayData {
  const all = JSON.parse(readFileSync(HOLIDAYS_JSON, 'utf8')) as HolidayData;
  countries = new Set(Object.keys(all.holidays));
  return all;
}

/** The country codes date-holidays knows (read once). */
export function knownCountries(): ReadonlySet<string> {
  if (countries === undefined) readAll();
  return countries!;
}

/** date-holidays' data with only these countries (each whole), for date-holidays-parser; the same object for the same set. */
export function holidayDataFor(codes: Iterable<string>): object {
  const wanted = [...new Set(codes)].sort();
  const key = wanted.join(',');
  let part = parts.get(key);
  if (part === undefined) {
    const all = readAll();
    const unknown = wanted.filter((c) => !countries!.has(c));
    if (unknown.length > 0) throw new RangeError(`date-holidays has no data for ${unknown.join(', ')}`);
    part = { ...all, holidays: Object.fromEntries(wanted.map((c) => [c, all.holidays[c]])) };
    parts.set(key, part);
  }
  return part;
}
