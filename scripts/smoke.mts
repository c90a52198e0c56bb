import { readFileSync } from 'node:fs';
import { loadRuleset, evaluate } from '../src/core/index.js';
import { VerdictRequestSchema } from '../src/contract/request.js';
const rs = loadRuleset('/work/main/rules');
console.log(rs.version, rs.digest, [...rs.files.keys()]);
const body = JSON.parse(readFileSync(process.argv[2] ?? '/work/main/test/fixtures/requests/withdrawal-basic.json', 'utf8'));
const req = VerdictRequestSchema.parse(body);
const v = await evaluate(req, rs, body.asOf);
console.log(JSON.stringify(v, null, 2));
