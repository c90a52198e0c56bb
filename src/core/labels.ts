// Words a reader sees for the verdict's codes (tracks, statuses, steps, outcomes), in both languages:
// the verdict page and the reasons a letter is not offered print them. Presentation, not law.
import type { Locale } from '../contract/primitives.js';
import type { APPEAL_STEPS, OUTCOMES, REMEDY_STATUSES, TRACKS } from '../contract/verdict.js';

type Labels<K extends string> = Record<K, Record<Locale, string>>;

export const TRACK_LABELS: Labels<(typeof TRACKS)[number]> = {
  withdrawal: { fr: 'Droit de rétractation', en: 'Right of withdrawal' },
  legal_conformity: { fr: 'Garantie légale de conformité', en: 'Legal guarantee of conformity' },
  hidden_defects: { fr: 'Garantie des vices cachés', en: 'Hidden-defect warranty' },
  delivery: { fr: 'Livraison', en: 'Delivery' },
  transit_damage: { fr: 'Dommages de transport', en: 'Damage in transit' },
  commercial_return: { fr: 'Retour commercial', en: 'Commercial return' },
  marketplace_guarantee: { fr: 'Garantie de la place de marché', en: 'Marketplace guarantee' },
  safety_recall: { fr: 'Rappel de produit (sécurité)', en: 'Product safety recall' },
};

export const REMEDY_STATUS_LABELS: Labels<(typeof REMEDY_STATUSES)[number]> = {
  available: { fr: 'ouvert', en: 'available' },
  expired: { fr: 'expiré', en: 'expired' },
  excluded: { fr: 'exclu', en: 'excluded' },
  not_yet_open: { fr: 'pas encore ouvert', en: 'not yet open' },
  not_applicable: { fr: 'sans objet', en: 'not applicable' },
  insufficient_facts: { fr: 'faits insuffisants', en: 'insufficient facts' },
};

export const STEP_LABELS: Labels<(typeof APPEAL_STEPS)[number]> = {
  contact_seller: { fr: 'Contacter le vendeur', en: 'Contact the seller' },
  written_complaint: { fr: 'Réclamation écrite', en: 'Written complaint' },
  marketplace_claim: { fr: 'Réclamation à la place de marché', en: 'Marketplace claim' },
  formal_notice: { fr: 'Mise en demeure', en: 'Formal notice' },
  consumer_mediation: { fr: 'Médiation de la consommation', en: 'Consumer mediation' },
  signalconso_report: { fr: 'Signalement SignalConso', en: 'SignalConso report' },
  european_consumer_centre: { fr: 'Centre européen des consommateurs', en: 'European Consumer Centre' },
  court: { fr: 'Tribunal', en: 'Court' },
  chargeback: { fr: 'Rétrofacturation bancaire', en: 'Card chargeback' },
  rappelconso_notice: { fr: 'Fiche RappelConso', en: 'RappelConso notice' },
  recall_remedy_request: { fr: 'Demander le remède du rappel', en: 'Ask for the recall remedy' },
  marketplace_recall_contact: { fr: 'Contacter la place de marché', en: 'Contact the marketplace' },
};

export const STEP_STATUS_LABELS: Labels<'done' | 'next' | 'later' | 'unavailable'> = {
  done: { fr: 'fait', en: 'done' },
  next: { fr: 'à faire maintenant', en: 'next' },
  later: { fr: 'plus tard', en: 'later' },
  unavailable: { fr: 'indisponible', en: 'unavailable' },
};

export const OUTCOME_LABELS: Labels<(typeof OUTCOMES)[number]> = {
  return_accepted: { fr: 'Retour accepté', en: 'Return accepted' },
  return_refused: { fr: 'Retour refusé', en: 'Return refused' },
  repair_or_replace: { fr: 'Réparation ou remplacement', en: 'Repair or replacement' },
  price_reduction_or_rescission: { fr: 'Réduction du prix ou résolution', en: 'Price reduction or rescission' },
  refund_due: { fr: 'Remboursement dû', en: 'Refund due' },
  redeliver_or_refund: { fr: 'Livrer ou rembourser', en: 'Deliver or refund' },
  escalate: { fr: 'Recours à engager', en: 'Escalate' },
  insufficient_facts: { fr: 'Faits insuffisants', en: 'Insufficient facts' },
  recall_remedy: { fr: 'Remède du rappel', en: 'Recall remedy' },
};
