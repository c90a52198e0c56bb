// node scripts/audit-gate.mjs <npm-audit.json>
// Reads the output of `npm audit --json` (CI, .ci/run) and says what it means in one or two lines:
// - the registry did not answer the audit request: advisories were NOT checked; exit 0 (reported,
//   not failed: the project cannot fix a registry that has no audit endpoint);
// - it answered: the counts per severity; exit 1 when there is a high or critical advisory.
// Plain JavaScript: it runs before `npm ci`.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: node scripts/audit-gate.mjs <npm-audit.json>');
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.log(`npm audit: no readable report in ${file} (${(e instanceof Error ? e.message : String(e)).split('\n')[0]}); advisories NOT checked`);
  process.exit(0);
}
const counts = report?.metadata?.vulnerabilities;
if (report?.error || !counts) {
  const status = report?.statusCode ? `HTTP ${report.statusCode}` : (report?.error?.code ?? 'no answer');
  console.log(`npm audit: the registry did not answer the audit request (${status}); advisories NOT checked, the run goes on`);
  process.exit(0);
}
const order = ['critical', 'high', 'moderate', 'low', 'info'];
console.log(`npm audit: ${order.map((s) => `${counts[s] ?? 0} ${s}`).join(', ')} (${report.metadata.dependencies?.total ?? '?'} dependencies)`);
const serious = Object.values(report.vulnerabilities ?? {}).filter((v) => v.severity === 'high' || v.severity === 'critical');
for (const v of serious) console.log(`  ${v.severity}: ${v.name} ${v.range ?? ''}${v.fixAvailable ? ' (a fix is available)' : ''}`);
process.exit((counts.high ?? 0) + (counts.critical ?? 0) > 0 ? 1 : 0);
