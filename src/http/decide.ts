// A verdict for a validated request, as every route that needs one gets it: asOf defaults to today in
// the jurisdiction's zone, the locale to the body's, else Accept-Language.
import type { VerdictRequest } from '../contract/request.js';
import type { Verdict } from '../contract/verdict.js';
import { evaluate, todayIn, type Ruleset } from '../core/index.js';
import { localeFrom } from './locale.js';

export async function decideVerdict(
  ruleset: Ruleset,
  now: () => Date,
  body: VerdictRequest,
  acceptLanguage: string | undefined,
): Promise<{ request: VerdictRequest; verdict: Verdict }> {
  const zone = ruleset.jurisdictions.get(body.jurisdiction)?.spec.zone ?? 'Europe/Paris';
  const asOf = body.asOf ?? todayIn(zone, now());
  const request = { ...body, locale: body.locale ?? localeFrom(acceptLanguage) };
  return { request, verdict: await evaluate(request, ruleset, asOf) };
}
