// Names, in the OpenAPI document, for the parts of the merchant policy format. The format itself is
// defined with the ruleset (src/core/ruleset/policy-schema.ts); this registers its nested objects in
// zod's registry under component names, without changing them, so that a generated client gets a
// named type for each. The reviewed-value wrappers ({ value, status, needsLegalReview, source, note })
// stay inline: each wraps a different type of value.
import { z } from 'zod';
import { PolicyFileSchema } from '../core/ruleset/policy-schema.js';

type AnySchema = z.ZodType;

/** The schema inside .nullable(), .optional() and .default() wrappers. */
function inner(schema: AnySchema): AnySchema {
  let s = schema as AnySchema & { unwrap?: () => AnySchema; def: { type: string; innerType?: AnySchema } };
  while (['nullable', 'optional', 'default'].includes(s.def.type)) s = (s.def.innerType ?? s.unwrap!()) as typeof s;
  return s;
}

function element(schema: AnySchema): AnySchema {
  const s = inner(schema) as AnySchema & { element?: AnySchema };
  if (!s.element) throw new Error('policy-names: expected an array');
  return inner(s.element);
}

function shapeOf(schema: AnySchema): Record<string, AnySchema> {
  const s = inner(schema) as AnySchema & { shape?: Record<string, AnySchema> };
  if (!s.shape) throw new Error('policy-names: expected an object');
  return s.shape;
}

function name(schema: AnySchema, id: string, description?: string): void {
  const existing = z.globalRegistry.get(schema);
  if (existing?.id === id) return;
  if (existing?.id) throw new Error(`policy-names: this part of the policy format is already named ${existing.id}`);
  // Keep the metadata the format gives (its description); add the name.
  z.globalRegistry.remove(schema);
  z.globalRegistry.add(schema, { ...(description ? { description } : {}), ...existing, id });
}

const policy = PolicyFileSchema.shape;
const returns = shapeOf(policy.returns);
name(inner(policy.merchant), 'PolicyMerchant', 'Who the policy is of.');
name(element(policy.sources), 'PolicySource', 'Where the values were read.');
name(inner(policy.returns), 'PolicyReturns', 'The commercial return the merchant offers on top of the law.');
name(inner(returns.window!), 'PolicyReturnWindow', 'The standard commercial return window.');
name(element(returns.categoryWindows!), 'PolicyCategoryWindow');
name(element(returns.holidayExtensions!), 'PolicyHolidayExtension');
name(element(returns.exclusions!), 'PolicyExclusionClause', 'A clause excluding items from returns by their nature.');
name(inner(returns.returnShipping!), 'PolicyReturnShipping', 'Who pays the return postage under the policy.');
name(inner(returns.refund!), 'PolicyRefund', 'How and when the merchant refunds a commercial return.');
name(inner(policy.thirdPartySellers), 'PolicyThirdPartySellers', 'What the marketplace requires of its sellers.');
name(inner(policy.guarantee), 'PolicyGuarantee', 'A marketplace guarantee (e.g. Amazon\'s A-to-z).');
name(inner(policy.withdrawalFunction), 'PolicyWithdrawalFunction', 'The online withdrawal function the merchant offers (L221-21, D221-5).');
name(inner(shapeOf(policy.mediator).value!), 'PolicyMediator', 'The consumer mediator the merchant designates.');
name(inner(shapeOf(returns.restockingFee!).value!), 'PolicyRestockingFee', 'A fee kept on returned items.');
name(inner(shapeOf(returns.returnlessRefund!).value!), 'PolicyReturnlessRefund', 'When the merchant refunds without asking for the item back.');
name(element(policy.links), 'PolicyLink');
name(element(policy.notEncoded), 'PolicyNotEncoded', 'A fact of the research deliberately not encoded, and why.');

/** Imported for its effect: the names above are registered once, before any document is generated. */
export const POLICY_COMPONENTS_NAMED = true;
