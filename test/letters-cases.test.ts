// The letters as data: every case of rules/*/letters/*.cases.json (src/cases/letters.ts checks, beside
// what each case states, that nothing is left unfilled and that every amount, date and citation a
// letter prints is the verdict's), and the load refusing a bad letter, naming the file.
import t from 'tap';
import { LetterRequestSchema } from '../src/contract/letters.js';
import { loadRuleset } from '../src/core/index.js';
import { runLetterCases } from '../src/cases/letters.js';
import { DEFAULT_RULES_DIR } from '../src/rules-dir.js';
import { expectLoadRefused, rulesCopyWith } from './helpers/rules-copy.js';

const ruleset = loadRuleset(DEFAULT_RULES_DIR);

t.test('every letter has its cases, and the contract names exactly the letters there are', async (t) => {
  t.same([...ruleset.letters.keys()].sort(), [
    'formal_notice_conformity', 'formal_notice_delivery', 'formal_notice_postage', 'formal_notice_refund',
    'marketplace_claim', 'mediation_request', 'withdrawal_declaration', 'withdrawal_form', 'written_complaint',
  ]);
  for (const [id, letter] of ruleset.letters) {
    const cases = letter.cases?.cases ?? [];
    t.ok(cases.some((c) => c.expect.offered), `${id} has a case where it is offered`);
    t.ok(cases.some((c) => !c.expect.offered), `${id} has a case where it is not offered, or refused`);
  }
  const described = LetterRequestSchema.shape.letter.meta()?.description ?? '';
  for (const id of ruleset.letters.keys()) t.match(described, new RegExp(`\\b${id}\\b`), `the letter field documents ${id}`);
});

t.test('letter cases', async (t) => {
  const byFile = new Map<string, { name: string; checks: { ok: boolean; message: string }[] }[]>();
  for await (const r of runLetterCases(ruleset)) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  t.ok(byFile.size >= 9, 'every letter file ran');
  for (const [file, cases] of byFile)
    await t.test(file, async (t) => {
      for (const c of cases) await t.test(c.name, async (t) => void c.checks.forEach((ch) => t.ok(ch.ok, ch.message)));
    });
});

const copyWith = rulesCopyWith;
const refused = expectLoadRefused;

const para = (json: any) => json.blocks.find((b: any) => b.kind === 'paragraph');

t.test('a bad letter stops the load, naming the file and what is wrong', async (t) => {
  const fr = 'fr/letters/formal_notice_refund.fr.json';
  refused(t, copyWith(fr, (j) => (para(j).text += ' {refund.nothing}')), fr, /unknown letter value "refund.nothing"/);
  refused(t, copyWith(fr, (j) => (para(j).text += ' (art. L242-4)')), fr, /writes an article number/);
  refused(t, copyWith(fr, (j) => (para(j).text += ' {cite:remedy.flying}')), fr, /cannot cite "remedy.flying"/);
  // The languages are compared with the French text: the other one is named.
  refused(t, copyWith(fr, (j) => j.blocks.pop()), 'fr/letters/formal_notice_refund.en.json', /same blocks, conditions and citations as rules\/fr\/letters\/formal_notice_refund.fr.json/);
  refused(t, copyWith(fr, (j) => (j.blocks[0].kind = 'poem')), fr, /blocks\.0/);
  const def = 'fr/letters/mediation_request.json';
  refused(t, copyWith(def, (j) => (j.step = 'prayer')), def, /step/);
  refused(t, copyWith(def, (j) => (j.source.basis = ['FR.NOWHERE.1'])), def, /unknown legal basis "FR.NOWHERE.1"/);
  const cases = 'fr/letters/withdrawal_form.cases.json';
  refused(t, copyWith(cases, (j) => (j.letter = 'written_complaint')), cases, /letter: must be "withdrawal_form"/);
});
