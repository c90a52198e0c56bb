// The verdict as a page a support agent reads in a few seconds (POST /v1/verdicts, Accept: text/html):
// the decision, each remedy with its status, a timeline of every deadline against asOf (inline SVG),
// the appeal path with its dates, the refund, the evidence to keep and the letters the verdict offers
// (each embedded, so the page needs nothing else). Self-contained: one inline stylesheet, no script,
// no external asset; every value is escaped. French or English as the verdict's locale.
import type { Locale } from '../contract/primitives.js';
import type { Deadline, Verdict } from '../contract/verdict.js';
import { daysBetween } from '../core/calendar.js';
import type { LetterDocument, LetterOffer } from '../core/letters/compose.js';
import { OUTCOME_LABELS, REMEDY_STATUS_LABELS, STEP_LABELS, STEP_STATUS_LABELS, TRACK_LABELS } from '../core/labels.js';
import { formatDate, formatMoney } from '../core/text.js';
import { esc, page, type Page } from './html.js';
import { LETTER_CSS, letterArticle } from './letter-html.js';

const WORDS = {
  fr: {
    title: 'Verdict', order: 'Commande', asOf: 'Situation au', ruleset: 'Règles', decision: 'Décision', alternatives: 'Autres voies ouvertes',
    remedies: 'Voies de recours', track: 'Voie', status: 'Statut', deadline: 'Date limite', reason: 'Motif', none: '—',
    timeline: 'Délais', timelineDesc: 'Chaque délai du verdict, de son point de départ à son terme, par rapport à la date du verdict.',
    today: 'date du verdict', open: 'en cours', passed: 'expiré', daysLeft: 'jours restants', daysAgo: 'jours écoulés depuis le terme', start: 'Début', end: 'Fin',
    appeal: 'Parcours de recours', notBefore: 'pas avant le', notAfter: 'au plus tard le', refund: 'Remboursement', total: 'Total dû', paid: 'Déjà versé',
    outstanding: 'Reste dû', refundDeadline: 'À verser au plus tard le', penalty: 'Majoration de retard', evidence: 'Preuves à conserver', by: 'avant le',
    letters: 'Lettres', lettersOffered: 'Lettres prêtes à envoyer', lettersOther: 'Autres lettres (non proposées par ce verdict)', letterApi: 'Aussi en PDF : POST /v1/letters avec « letter » : ',
    exclusions: 'Exclusions', findings: 'Actes signalés qui ne comptent pas', missing: 'Faits manquants', review: 'Paramètres à revoir par un juriste', basis: 'Textes cités', reviewLetter: 'texte à vérifier par un juriste',
  },
  en: {
    title: 'Verdict', order: 'Order', asOf: 'As of', ruleset: 'Rules', decision: 'Decision', alternatives: 'Other open remedies',
    remedies: 'Remedies', track: 'Remedy', status: 'Status', deadline: 'Deadline', reason: 'Reason', none: '—',
    timeline: 'Deadlines', timelineDesc: 'Every deadline of the verdict, from its start to its end, against the date of the verdict.',
    today: 'verdict date', open: 'open', passed: 'passed', daysLeft: 'days left', daysAgo: 'days since it ended', start: 'Start', end: 'End',
    appeal: 'Appeal path', notBefore: 'not before', notAfter: 'at the latest', refund: 'Refund', total: 'Total due', paid: 'Already paid',
    outstanding: 'Still owed', refundDeadline: 'To be paid by', penalty: 'Late-payment increase', evidence: 'Evidence to keep', by: 'by',
    letters: 'Letters', lettersOffered: 'Letters ready to send', lettersOther: 'Other letters (not offered by this verdict)', letterApi: 'Also as PDF: POST /v1/letters with "letter": ',
    exclusions: 'Exclusions', findings: 'Reported acts that do not count', missing: 'Missing facts', review: 'Parameters for legal review', basis: 'Legal basis', reviewLetter: 'text for legal review',
  },
} as const;

/** Status classes: each a dark colour with white text (contrast at least 4.5:1, checked by the page test). */
const STATUS_CLASS: Record<string, string> = {
  available: 's-good', open: 's-good', done: 's-good',
  next: 's-next',
  not_yet_open: 's-wait', later: 's-wait',
  expired: 's-off', passed: 's-off', not_applicable: 's-off', insufficient_facts: 's-off',
  excluded: 's-bad', unavailable: 's-bad',
};

const CSS =
  ':root{color-scheme:light}body{font-family:"DejaVu Sans",Arial,sans-serif;color:#111;background:#fff;margin:0;padding:1rem 1.5rem;line-height:1.4}' +
  'main{max-width:60rem;margin:0 auto}h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;border-bottom:2px solid #ccc;padding-bottom:.2rem;margin-top:1.6rem}' +
  '.meta{color:#333;font-size:.9rem}.decision{border:2px solid #0d47a1;border-radius:6px;padding:.6rem .9rem;background:#f3f7fd}.decision .summary{font-size:1.05rem;margin:.4rem 0 0}' +
  '.badge{display:inline-block;border-radius:4px;padding:.05rem .45rem;font-size:.85rem;font-weight:bold;color:#fff;white-space:nowrap}' +
  '.s-good{background:#1b5e20}.s-next{background:#0d47a1}.s-wait{background:#8a4b00}.s-off{background:#555}.s-bad{background:#b71c1c}' +
  'table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}th{background:#eee}' +
  'ol.path li,ul.evidence li{margin:.35rem 0}.dates{color:#333;font-size:.85rem}.timeline{width:100%;height:auto;border:1px solid #ccc;background:#fafafa}' +
  'details{border:1px solid #ccc;border-radius:4px;margin:.5rem 0;padding:.3rem .6rem}summary{font-weight:bold;cursor:pointer}.small{font-size:.85rem;color:#333}' +
  LETTER_CSS.replace(/body\{[^}]*\}/, '');

const statusBadge = (status: string, label: string) => `<span class="badge ${STATUS_CLASS[status] ?? 's-off'}" data-status="${esc(status)}">${esc(label)}</span>`;
const date = (d: string | null, l: Locale) => (d ? esc(formatDate(d, l)) : WORDS[l].none);

// ---- the timeline ----------------------------------------------------------------------------
// Days are placed on a square-root scale around asOf: a 14-day period and a 5-year one both stay
// readable on one axis, and asOf is always in the middle of what matters.
const ROW = 26;
const LEFT = 250;
const WIDTH = 900;

function timeline(deadlines: Deadline[], asOf: string, l: Locale): string {
  const w = WORDS[l];
  const offsets = deadlines.flatMap((d) => [d.start, d.end]).filter((x): x is string => !!x).map((x) => daysBetween(asOf, x));
  const past = Math.sqrt(Math.max(1, ...offsets.map((o) => -o)));
  const future = Math.sqrt(Math.max(1, ...offsets));
  const span = WIDTH - LEFT - 20;
  const zero = LEFT + (span * past) / (past + future);
  const x = (day: string) => {
    const o = daysBetween(asOf, day);
    const s = Math.sign(o) * Math.sqrt(Math.abs(o));
    return Math.round((zero + (s * span) / (past + future)) * 10) / 10;
  };
  const height = 40 + deadlines.length * ROW;
  const rows = deadlines
    .map((d, i) => {
      const y = 30 + i * ROW;
      const x1 = d.start ? x(d.start) : x(d.end);
      const x2 = x(d.end);
      const colour = d.status === 'open' ? '#1b5e20' : '#555';
      const label = `${d.id} — ${w.end} ${formatDate(d.end, l)} (${d.status === 'open' ? `${d.daysLeft} ${w.daysLeft}` : `${-d.daysLeft} ${w.daysAgo}`})`;
      return (
        `<g class="deadline" data-id="${esc(d.id)}" data-status="${d.status}"><title>${esc(label)}</title>` +
        `<text x="${LEFT - 8}" y="${y + 13}" text-anchor="end" font-size="12" fill="#111">${esc(d.id)}</text>` +
        `<rect x="${Math.min(x1, x2)}" y="${y + 3}" width="${Math.max(3, Math.abs(x2 - x1))}" height="14" rx="3" fill="${colour}"/>` +
        `<text x="${Math.min(x2 + 6, WIDTH - 4)}" y="${y + 14}" font-size="11" fill="#111"${x2 + 6 > WIDTH - 120 ? ' text-anchor="end"' : ''}>${esc(formatDate(d.end, l))}</text></g>`
      );
    })
    .join('');
  return (
    `<svg class="timeline" role="img" aria-labelledby="tl-title tl-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="tl-title">${esc(w.timeline)}</title><desc id="tl-desc">${esc(w.timelineDesc)}</desc>` +
    rows +
    `<line class="asof" x1="${zero}" y1="18" x2="${zero}" y2="${height - 4}" stroke="#b71c1c" stroke-width="2" stroke-dasharray="5 3"/>` +
    `<text x="${zero}" y="13" text-anchor="middle" font-size="12" fill="#b71c1c">${esc(`${w.today} : ${formatDate(asOf, l)}`)}</text></svg>`
  );
}

function deadlineTable(deadlines: Deadline[], l: Locale): string {
  const w = WORDS[l];
  return (
    `<table class="deadlines"><thead><tr><th scope="col">${w.deadline}</th><th scope="col">${w.start}</th><th scope="col">${w.end}</th><th scope="col">${w.status}</th></tr></thead><tbody>` +
    deadlines
      .map(
        (d) =>
          `<tr><td>${esc(d.id)}<div class="small">${esc(d.explanation)}</div></td><td>${date(d.start, l)}</td><td>${date(d.end, l)}</td><td>${statusBadge(d.status, d.status === 'open' ? w.open : w.passed)} <span class="small">${d.status === 'open' ? `${d.daysLeft} ${w.daysLeft}` : `${-d.daysLeft} ${w.daysAgo}`}</span></td></tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}

export interface VerdictPageLetters {
  offers: LetterOffer[];
  /** The offered letters, filled. */
  documents: LetterDocument[];
}

export function verdictPage(v: Verdict, letters: VerdictPageLetters): Page {
  const l = v.locale;
  const w = WORDS[l];
  const money = (n: number) => esc(formatMoney(n, v.refund?.currency ?? 'EUR', l));
  const parts: string[] = [];
  parts.push(
    `<header><h1>${w.title}${v.orderId ? ` — ${w.order} ${esc(v.orderId)}` : ''}</h1>` +
      `<p class="meta">${w.asOf} ${date(v.asOf, l)} · ${esc(v.jurisdiction)}${v.policy ? ` · ${esc(v.policy)}` : ''} · ${w.ruleset} ${esc(v.ruleset.version)} · <code>${esc(v.verdictId)}</code></p></header>`,
  );
  parts.push(
    `<section aria-labelledby="h-decision"><h2 id="h-decision">${w.decision}</h2><div class="decision" data-outcome="${esc(v.decision.outcome)}">` +
      `${statusBadge(v.decision.outcome === 'return_refused' || v.decision.outcome === 'insufficient_facts' ? 'expired' : 'next', OUTCOME_LABELS[v.decision.outcome][l])}` +
      `${v.decision.track ? ` <strong>${esc(TRACK_LABELS[v.decision.track][l])}</strong>` : ''}<p class="summary">${esc(v.decision.summary)}</p>` +
      (v.decision.alternatives.length
        ? `<p><strong>${w.alternatives}</strong></p><ul>${v.decision.alternatives.map((a) => `<li><strong>${esc(TRACK_LABELS[a.track][l])}</strong> : ${esc(a.summary)}</li>`).join('')}</ul>`
        : '') +
      '</div></section>',
  );
  parts.push(
    `<section aria-labelledby="h-remedies"><h2 id="h-remedies">${w.remedies}</h2><table class="remedies"><thead><tr><th scope="col">${w.track}</th><th scope="col">${w.status}</th><th scope="col">${w.deadline}</th><th scope="col">${w.reason}</th></tr></thead><tbody>` +
      v.remedies
        .map((r) => `<tr data-track="${esc(r.track)}"><td>${esc(TRACK_LABELS[r.track][l])}</td><td>${statusBadge(r.status, REMEDY_STATUS_LABELS[r.status][l])}</td><td>${date(r.deadline, l)}</td><td>${esc(r.reason)}</td></tr>`)
        .join('') +
      '</tbody></table></section>',
  );
  if (v.deadlines.length)
    parts.push(`<section aria-labelledby="h-timeline"><h2 id="h-timeline">${w.timeline}</h2>${timeline(v.deadlines, v.asOf, l)}${deadlineTable(v.deadlines, l)}</section>`);
  parts.push(
    `<section aria-labelledby="h-appeal"><h2 id="h-appeal">${w.appeal}</h2><ol class="path">` +
      v.appealPath
        .map(
          (s) =>
            `<li data-step="${esc(s.step)}"><strong>${esc(STEP_LABELS[s.step][l])}</strong> ${statusBadge(s.status, STEP_STATUS_LABELS[s.status][l])}` +
            `${s.notBefore ? ` <span class="dates">${w.notBefore} ${date(s.notBefore, l)}</span>` : ''}${s.notAfter ? ` <span class="dates">${w.notAfter} ${date(s.notAfter, l)}</span>` : ''}` +
            `<div class="small">${esc(s.explanation)}</div></li>`,
        )
        .join('') +
      '</ol></section>',
  );
  if (v.refund) {
    const r = v.refund;
    parts.push(
      `<section aria-labelledby="h-refund"><h2 id="h-refund">${w.refund}</h2><table class="refund"><tbody>` +
        `<tr><th scope="row">${w.total}</th><td>${money(r.total)}</td></tr><tr><th scope="row">${w.paid}</th><td>${money(r.paid)}</td></tr>` +
        `<tr><th scope="row">${w.outstanding}</th><td>${money(r.outstanding)}</td></tr><tr><th scope="row">${w.refundDeadline}</th><td>${date(r.deadline, l)}</td></tr>` +
        (r.penalty ? `<tr><th scope="row">${w.penalty}</th><td>${money(r.penalty.amount)} <span class="small">${esc(r.penalty.explanation)}</span></td></tr>` : '') +
        `</tbody></table><p class="small">${esc(r.explanation)}</p></section>`,
    );
  }
  if (v.evidence.length)
    parts.push(
      `<section aria-labelledby="h-evidence"><h2 id="h-evidence">${w.evidence}</h2><ul class="evidence">` +
        v.evidence.map((e) => `<li data-id="${esc(e.id)}"><strong>${esc(e.what)}</strong>${e.by ? ` <span class="dates">${w.by} ${date(e.by, l)}</span>` : ''}<div class="small">${esc(e.why)}</div></li>`).join('') +
        '</ul></section>',
    );
  const offered = letters.offers.filter((o) => o.offered);
  const other = letters.offers.filter((o) => !o.offered);
  parts.push(
    `<section aria-labelledby="h-letters"><h2 id="h-letters">${w.letters}</h2>` +
      (offered.length
        ? `<p><strong>${w.lettersOffered}</strong></p><ul class="letters">${offered
            .map((o) => `<li><a href="#letter-${esc(o.id)}">${esc(o.title)}</a> — <span class="small">${esc(o.description)}</span></li>`)
            .join('')}</ul>` +
          letters.documents
            .map(
              (d) =>
                `<details id="letter-${esc(d.id)}"><summary>${esc(d.title)}${d.needsLegalReview ? ` <span class="small">(${w.reviewLetter})</span>` : ''}</summary>` +
                `<p class="small">${esc(w.letterApi)}<code>${esc(d.id)}</code></p>${letterArticle(d)}</details>`,
            )
            .join('')
        : '') +
      (other.length ? `<details class="not-offered"><summary>${w.lettersOther}</summary><ul>${other.map((o) => `<li><strong>${esc(o.title)}</strong> : ${esc(o.reason ?? '')}</li>`).join('')}</ul></details>` : '') +
      '</section>',
  );
  if (v.exclusions.length)
    parts.push(`<section aria-labelledby="h-exclusions"><h2 id="h-exclusions">${w.exclusions}</h2><ul>${v.exclusions.map((e) => `<li>${esc(e.id)} : ${esc(e.reason)}</li>`).join('')}</ul></section>`);
  if (v.historyFindings.length)
    parts.push(`<section aria-labelledby="h-findings"><h2 id="h-findings">${w.findings}</h2><ul>${v.historyFindings.map((f) => `<li>${esc(f.type)} (${date(f.at, l)}) : ${esc(f.explanation)}</li>`).join('')}</ul></section>`);
  if (v.missingFacts.length)
    parts.push(`<section aria-labelledby="h-missing"><h2 id="h-missing">${w.missing}</h2><ul>${v.missingFacts.map((m) => `<li><code>${esc(m)}</code></li>`).join('')}</ul></section>`);
  if (v.reviewFlags.length)
    parts.push(`<section aria-labelledby="h-review"><h2 id="h-review">${w.review}</h2><ul class="small">${v.reviewFlags.map((r) => `<li><code>${esc(r.parameter)}</code> : ${esc(r.note)}</li>`).join('')}</ul></section>`);
  parts.push(
    `<section aria-labelledby="h-basis"><h2 id="h-basis">${w.basis}</h2><ul class="small">${Object.entries(v.legalBasis)
      .map(([id, b]) => `<li><a href="${esc(b.url)}" rel="noreferrer">${esc(b.citation)}</a> — ${esc(b.title)} <span class="small">(${esc(id)}, ${esc(b.status)})</span></li>`)
      .join('')}</ul></section>`,
  );
  return page(l, `${w.title}${v.orderId ? ` — ${v.orderId}` : ''}`, CSS, `<main>\n${parts.join('\n')}\n</main>`);
}
