import { DRUG_CLASSES, DRUGS } from '../../../../shared/drug-classes';
import { normalizeDrugText } from '../../../../shared/prescribing-checks';

/** A medicine offered while the prescriber types: its generic name, the name typed if a brand, and its classes. */
export interface MedicationOption {
  name: string;
  /** The alias or brand the typing matched, when it was not the generic name. */
  matched: string | null;
  classes: string[];
}

const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

const INDEX = DRUGS.map((drug) => ({
  drug,
  names: [drug.name, ...(drug.aliases ?? [])].map((written) => ({ written, key: normalizeDrugText(written) })),
}));

/**
 * Medicines of the curated table (shared/drug-classes.ts) whose name, or a word of it, starts
 * with what is typed; generic names first. Medicines it does not list can still be typed in full.
 */
export function findMedications(typed: string, limit = 8): MedicationOption[] {
  const query = normalizeDrugText(typed);
  if (query.length < 2) return [];
  const ranked: { option: MedicationOption; rank: number }[] = [];
  for (const { drug, names } of INDEX) {
    let best: { rank: number; written: string } | undefined;
    names.forEach(({ written, key }, i) => {
      const rank = key.startsWith(query) ? (i === 0 ? 0 : 1) : key.includes(` ${query}`) ? 2 : undefined;
      if (rank !== undefined && (!best || rank < best.rank)) best = { rank, written };
    });
    if (!best) continue;
    ranked.push({
      rank: best.rank,
      option: {
        name: capitalized(drug.name),
        matched: best.written === drug.name ? null : best.written,
        classes: drug.classes.map((id) => DRUG_CLASSES[id].name),
      },
    });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || a.option.name.localeCompare(b.option.name))
    .slice(0, limit)
    .map(({ option }) => option);
}
