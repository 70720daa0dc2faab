/**
 * Prescribing safety checks, offline and pure: given a medicine, the patient's recorded
 * allergies and their active prescriptions, the warnings a prescriber must see. Classes and
 * cross-sensitivities come from the curated table in drug-classes.ts (see its scope: an aid to
 * memory, not a substitute for clinical judgment or a licensed drug database).
 *
 * Matching ignores case, accents and punctuation and works on whole words ("sulfa" is the
 * sulfonamides, never "ferrous sulfate"); a final "s" is optional ("NSAIDs", "penicillins").
 * A medicine the table does not know is still compared by its name.
 */
import { CROSS_SENSITIVITIES, DRUG_CLASSES, DRUGS, type Drug, type DrugClassId } from './drug-classes';

export const WARNING_KINDS = ['allergy', 'cross_sensitivity', 'duplicate_therapy'] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

export interface PrescribingWarning {
  /** `allergy` (the medicine or its class), the softer `cross_sensitivity`, or `duplicate_therapy`. */
  kind: WarningKind;
  /** The same medicine (or a combination containing it), the same class, or a related class. */
  match: 'same_drug' | 'same_class' | 'related_class';
  /** One sentence for the prescriber. */
  message: string;
  /** The class involved, by name, when the match is by class. */
  drugClass: string | null;
  /** The allergy as recorded, for allergy and cross-sensitivity warnings. */
  allergy?: string;
  /** The active prescription, for duplicate-therapy warnings. */
  prescriptionId?: string;
}

/** An allergy as the chart keeps it, or as free text ("Penicillin — rash"). */
export type RecordedAllergy = string | { substance: string; reaction?: string | null; severity?: string | null };

export interface ActivePrescription {
  id: string;
  medication_name: string;
  generic_name?: string | null;
}

/** Lower case, no accents, words of letters and digits separated by one space. */
export function normalizeDrugText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A phrase found as whole words in normalised text, its last word optionally plural. */
function phraseMatcher(phrase: string): RegExp {
  return new RegExp(`(?:^| )${escape(phrase)}(?:s|es)?(?= |$)`);
}

/** Every way of writing each medicine: its name, aliases, and hyphenated names run together. */
const DRUG_PHRASES: { drug: Drug; matchers: RegExp[] }[] = DRUGS.map((drug) => {
  const written = new Set<string>();
  for (const name of [drug.name, ...(drug.aliases ?? [])]) {
    const normalized = normalizeDrugText(name);
    written.add(normalized);
    if (name.includes('-')) written.add(normalized.replace(/ /g, ''));
  }
  return { drug, matchers: [...written].map(phraseMatcher) };
});

const CLASS_TERMS: { classId: DrugClassId; matcher: RegExp }[] = (Object.keys(DRUG_CLASSES) as DrugClassId[]).flatMap((classId) =>
  DRUG_CLASSES[classId].allergyTerms.map((term) => ({ classId, matcher: phraseMatcher(normalizeDrugText(term)) })),
);

/** What a piece of text names: medicines from the table, their ingredients and classes. */
interface Named {
  drugs: Drug[];
  ingredients: Set<string>;
  classes: Set<DrugClassId>;
  /** Classes named as such ("penicillin allergy", "NSAIDs"), not through a medicine. */
  classTerms: Set<DrugClassId>;
  /** The text without strengths, units and forms, for medicines the table does not know. */
  baseName: string;
}

const NOT_PART_OF_A_NAME = new Set(
  (
    'mg mcg microgram micrograms g gram grams ml l unit units iu percent tablet tablets tab tabs capsule capsules cap caps ' +
    'oral solution suspension syrup liquid cream ointment gel drops eye ear nasal spray inhaler injection patch patches ' +
    'suppository suppositories modified release mr sr xl la er dispersible soluble effervescent chewable sachet sachets ' +
    'film coated gastro resistant ec pessary allergy allergic intolerance intolerant to drug drugs medicine medicines ' +
    'rash hives anaphylaxis reaction severe moderate mild'
  ).split(' '),
);

function baseNameOf(normalized: string): string {
  return normalized
    .split(' ')
    .filter((word) => word !== '' && !/\d/.test(word) && !NOT_PART_OF_A_NAME.has(word))
    .join(' ');
}

export function namedIn(text: string): Named {
  const normalized = normalizeDrugText(text);
  const drugs = DRUG_PHRASES.filter(({ matchers }) => matchers.some((matcher) => matcher.test(normalized))).map(({ drug }) => drug);
  const ingredients = new Set(drugs.flatMap((drug) => [drug.name, ...(drug.contains ?? [])]));
  const classTerms = new Set(CLASS_TERMS.filter(({ matcher }) => matcher.test(normalized)).map(({ classId }) => classId));
  const classes = new Set<DrugClassId>(classTerms);
  // A combination belongs to the classes of what it contains (co-codamol: an opioid; paracetamol: none).
  for (const drug of DRUGS) if (ingredients.has(drug.name)) for (const classId of drug.classes) classes.add(classId);
  return { drugs, ingredients, classes, classTerms, baseName: baseNameOf(normalized) };
}

const intersect = <T>(a: Set<T>, b: Set<T>): T[] => [...a].filter((item) => b.has(item));

/** Whether one base name appears as whole words in the other (for medicines the table does not know). */
function sameByName(a: string, b: string): boolean {
  if (a.length < 3 || b.length < 3) return false;
  return phraseMatcher(a).test(b) || phraseMatcher(b).test(a);
}

function allergyParts(allergy: RecordedAllergy): { substance: string; label: string } {
  if (typeof allergy === 'string') return { substance: allergy, label: allergy.trim() };
  const details = [allergy.reaction?.trim(), allergy.severity?.trim()].filter(Boolean).join(', ');
  return { substance: allergy.substance, label: details ? `${allergy.substance.trim()} (${details})` : allergy.substance.trim() };
}

function allergyWarning(medication: string, prescribed: Named, allergy: RecordedAllergy): PrescribingWarning | null {
  const { substance, label } = allergyParts(allergy);
  const recorded = namedIn(substance);
  const shared = intersect(prescribed.ingredients, recorded.ingredients);
  if (shared.length > 0) {
    return {
      kind: 'allergy',
      match: 'same_drug',
      message: `Allergy recorded: ${label}. ${medication} is or contains ${shared.join(' and ')}.`,
      drugClass: null,
      allergy: label,
    };
  }
  const recordedNothingKnown = recorded.drugs.length === 0 && recorded.classes.size === 0;
  if ((recordedNothingKnown || prescribed.drugs.length === 0) && sameByName(prescribed.baseName, recorded.baseName)) {
    return {
      kind: 'allergy',
      match: 'same_drug',
      message: `Allergy recorded: ${label}. ${medication} has the same name.`,
      drugClass: null,
      allergy: label,
    };
  }
  const [sharedClass] = intersect(prescribed.classes, recorded.classes);
  if (sharedClass) {
    const drugClass = DRUG_CLASSES[sharedClass];
    return {
      kind: 'allergy',
      match: 'same_class',
      message: `Allergy recorded: ${label}. ${medication} is ${drugClass.member} (${drugClass.name}).`,
      drugClass: drugClass.name,
      allergy: label,
    };
  }
  const related = CROSS_SENSITIVITIES.find(({ from, to }) => recorded.classes.has(from) && prescribed.classes.has(to));
  if (related) {
    const drugClass = DRUG_CLASSES[related.to];
    return {
      kind: 'cross_sensitivity',
      match: 'related_class',
      message: `Possible cross-sensitivity: allergy recorded: ${label} (${DRUG_CLASSES[related.from].name}); ${medication} is ${drugClass.member}, and ${related.note}.`,
      drugClass: drugClass.name,
      allergy: label,
    };
  }
  return null;
}

function duplicateWarning(medication: string, prescribed: Named, active: ActivePrescription): PrescribingWarning | null {
  const other = namedIn([active.medication_name, active.generic_name ?? ''].join(' '));
  const shared = intersect(prescribed.ingredients, other.ingredients);
  const sameName = (prescribed.drugs.length === 0 || other.drugs.length === 0) && sameByName(prescribed.baseName, other.baseName);
  if (shared.length > 0 || sameName) {
    return {
      kind: 'duplicate_therapy',
      match: 'same_drug',
      message: `Already prescribed: ${active.medication_name} (active). ${medication} is ${shared.length > 0 ? `or contains ${shared.join(' and ')}` : 'the same medicine'}.`,
      drugClass: null,
      prescriptionId: active.id,
    };
  }
  const [sharedClass] = intersect(prescribed.classes, other.classes);
  if (sharedClass) {
    const drugClass = DRUG_CLASSES[sharedClass];
    return {
      kind: 'duplicate_therapy',
      match: 'same_class',
      message: `Already prescribed: ${active.medication_name} (active), also ${drugClass.member}: two ${drugClass.name} at once.`,
      drugClass: drugClass.name,
      prescriptionId: active.id,
    };
  }
  return null;
}

/**
 * The warnings for prescribing `medication`: one per matching allergy (the strongest match),
 * then one per active prescription of the same medicine or class. None means only that this
 * table found nothing.
 */
export function checkPrescription({
  medication,
  allergies,
  activePrescriptions,
}: {
  medication: string;
  allergies: readonly RecordedAllergy[];
  activePrescriptions: readonly ActivePrescription[];
}): PrescribingWarning[] {
  const name = medication.trim();
  const prescribed = namedIn(name);
  const warnings: PrescribingWarning[] = [];
  for (const allergy of allergies) {
    const warning = allergyWarning(name, prescribed, allergy);
    if (warning) warnings.push(warning);
  }
  for (const active of activePrescriptions) {
    const warning = duplicateWarning(name, prescribed, active);
    if (warning) warnings.push(warning);
  }
  return warnings;
}

/** The generic name(s) the table knows a medicine by ("Augmentin 625 mg" → "co-amoxiclav"), or null. */
export function genericNameOf(medication: string): string | null {
  const { drugs } = namedIn(medication);
  // A combination's ingredients are matched too ("amoxicillin clavulanate"): keep the combination.
  const inside = new Set(drugs.flatMap((drug) => drug.contains ?? []));
  const names = drugs.map((drug) => drug.name).filter((name) => !inside.has(name));
  return names.length > 0 ? names.join(' + ') : null;
}
