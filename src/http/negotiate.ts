// Accept header negotiation, as little as the routes need: the media types a client lists, with their
// q-values (RFC 9110 §12.5.1). Parameters other than q are ignored.

export function acceptRanking(accept: string | undefined): Map<string, number> {
  const ranking = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    if (!type) continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q ? Number(q.slice(2)) : 1;
    if (Number.isFinite(value)) ranking.set(type, Math.max(ranking.get(type) ?? 0, value));
  }
  return ranking;
}

/** Whether the client asks for HTML before JSON: text/html named, with a higher q than application/json. */
export function prefersHtml(accept: string | undefined): boolean {
  const r = acceptRanking(accept);
  const html = r.get('text/html') ?? 0;
  return html > 0 && html > (r.get('application/json') ?? 0);
}

/** The first of `offered` the client accepts best (named types before wildcards), else null. */
export function pick<T extends string>(accept: string | undefined, offered: Record<T, string>): T | null {
  const r = acceptRanking(accept);
  let best: T | null = null;
  let bestQ = 0;
  for (const [key, type] of Object.entries(offered) as [T, string][]) {
    const q = r.get(type) ?? 0;
    if (q > bestQ) [best, bestQ] = [key, q];
  }
  return best;
}
