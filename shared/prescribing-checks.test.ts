import { describe, expect, it } from 'vitest';
import { CROSS_SENSITIVITIES, DRUG_CLASSES, DRUGS } from './drug-classes';
import { checkPrescription, genericNameOf, normalizeDrugText, type RecordedAllergy } from './prescribing-checks';

const check = (medication: string, allergies: RecordedAllergy[] = [], active: string[] = []) =>
  checkPrescription({
    medication,
    allergies,
    activePrescriptions: active.map((medication_name, i) => ({ id: `rx-${i}`, medication_name })),
  });
const kinds = (medication: string, allergies: RecordedAllergy[] = [], active: string[] = []) =>
  check(medication, allergies, active).map(({ kind, match }) => `${kind}:${match}`);

describe('the drug-class table', () => {
  it('names each medicine once, in known classes, with combinations of listed medicines', () => {
    const names = DRUGS.map((drug) => drug.name);
    expect(new Set(names).size).toBe(names.length);
    const spellings = DRUGS.flatMap((drug) => [drug.name, ...(drug.aliases ?? [])].map(normalizeDrugText));
    expect(new Set(spellings).size).toBe(spellings.length);
    for (const drug of DRUGS) {
      for (const classId of drug.classes) expect(DRUG_CLASSES[classId], drug.name).toBeDefined();
      for (const ingredient of drug.contains ?? []) expect(names, `${drug.name} contains ${ingredient}`).toContain(ingredient);
    }
    for (const { from, to } of CROSS_SENSITIVITIES) expect([DRUG_CLASSES[from], DRUG_CLASSES[to]]).not.toContain(undefined);
  });

  it('covers the classes a primary-care prescriber meets most', () => {
    for (const [medication, className] of [
      ['flucloxacillin', 'Penicillins'],
      ['cefalexin', 'Cephalosporins'],
      ['clarithromycin', 'Macrolides'],
      ['doxycycline', 'Tetracyclines'],
      ['ciprofloxacin', 'Fluoroquinolones'],
      ['sulfadiazine', 'Sulfonamide antibiotics'],
      ['naproxen', 'NSAIDs'],
      ['tramadol', 'Opioids'],
      ['ramipril', 'ACE inhibitors'],
      ['losartan', 'Angiotensin receptor blockers'],
      ['atorvastatin', 'Statins'],
      ['sertraline', 'SSRIs'],
      ['omeprazole', 'Proton pump inhibitors'],
      ['bisoprolol', 'Beta blockers'],
      ['diazepam', 'Benzodiazepines'],
    ] as const) {
      expect(check(medication, [], ['x'])).toEqual([]);
      expect(
        check(medication, [medication]).map((w) => w.kind),
        medication,
      ).toEqual(['allergy']);
      const sameClass = DRUGS.find(
        (drug) =>
          ![drug.name, ...(drug.contains ?? [])].includes(medication) && drug.classes.some((c) => DRUG_CLASSES[c].name === className),
      );
      expect(check(sameClass!.name, [medication])[0], `${sameClass!.name} vs ${medication}`).toMatchObject({ drugClass: className });
    }
  });
});

describe('allergy warnings', () => {
  it('warns of the same medicine, by generic or brand name, ignoring case, accents and strength', () => {
    expect(check('Amoxicillin 500 mg capsules', ['Amoxicillin'])).toEqual([
      expect.objectContaining({ kind: 'allergy', match: 'same_drug', allergy: 'Amoxicillin' }),
    ]);
    expect(kinds('AMOXIL', ['amoxicillin'])).toEqual(['allergy:same_drug']);
    expect(kinds('IBUPROFÉN 200mg', [{ substance: 'Nurofen', severity: 'moderate' }])).toEqual(['allergy:same_drug']);
    // A combination contains the medicine itself.
    expect(check('Augmentin 625 mg', ['Amoxicillin — rash'])[0]).toMatchObject({ kind: 'allergy', match: 'same_drug' });
    expect(check('Augmentin 625 mg', ['Amoxicillin — rash'])[0]!.message).toContain('amoxicillin');
  });

  it('warns of the same class, named as a class or through one of its medicines', () => {
    const [warning] = check('Amoxicillin 500 mg', [{ substance: 'Penicillin', reaction: 'Rash', severity: 'severe' }]);
    expect(warning).toMatchObject({ kind: 'allergy', match: 'same_class', drugClass: 'Penicillins', allergy: 'Penicillin (Rash, severe)' });
    expect(warning!.message).toBe('Allergy recorded: Penicillin (Rash, severe). Amoxicillin 500 mg is a penicillin (Penicillins).');
    expect(kinds('co-amoxiclav', ['Penicillin — rash'])).toEqual(['allergy:same_class']);
    expect(kinds('Flucloxacillin', ['amoxicillin'])).toEqual(['allergy:same_class']);
    expect(kinds('Naproxen 250mg', ['NSAIDs'])).toEqual(['allergy:same_class']);
    expect(kinds('Aspirin 75 mg dispersible', ['Ibuprofen'])).toEqual(['allergy:same_class']);
    expect(kinds('Diclofenac', ['non-steroidal anti-inflammatory drugs'])).toEqual(['allergy:same_class']);
    expect(kinds('Co-codamol 30/500', ['opiates'])).toEqual(['allergy:same_class']);
  });

  it('reads "sulfa" as the sulfonamides, in either spelling, and never sulfates', () => {
    for (const allergy of ['sulfa drugs', 'Sulpha', 'Sulphonamides', 'SULFONAMIDE ANTIBIOTICS']) {
      expect(kinds('Co-trimoxazole 960 mg', [allergy]), allergy).toEqual(['allergy:same_class']);
      expect(kinds('Septrin', [allergy]), allergy).toEqual(['allergy:same_class']);
    }
    expect(check('Ferrous sulfate 200 mg', ['sulfa drugs'])).toEqual([]);
    expect(check('Trimethoprim 200 mg', ['sulfa'])).toEqual([]);
    expect(kinds('Co-trimoxazole', ['Trimethoprim'])).toEqual(['allergy:same_drug']);
  });

  it('warns more softly of a documented cross-sensitivity', () => {
    const [warning] = check('Cefalexin 500 mg', ['Penicillin — anaphylaxis']);
    expect(warning).toMatchObject({ kind: 'cross_sensitivity', match: 'related_class', drugClass: 'Cephalosporins' });
    expect(warning!.message).toMatch(
      /^Possible cross-sensitivity: allergy recorded: Penicillin — anaphylaxis \(Penicillins\); Cefalexin 500 mg is a cephalosporin/,
    );
    expect(kinds('Cefuroxime', ['amoxicillin'])).toEqual(['cross_sensitivity:related_class']);
    expect(kinds('Amoxicillin', ['Keflex'])).toEqual(['cross_sensitivity:related_class']);
    expect(kinds('Meropenem', ['penicillins'])).toEqual(['cross_sensitivity:related_class']);
    expect(kinds('Celecoxib', ['NSAIDs'])).toEqual(['cross_sensitivity:related_class']);
    expect(kinds('Losartan', ['ACE inhibitors (angioedema)'])).toEqual(['cross_sensitivity:related_class']);
    // Only where it is documented: no cross-sensitivity from cephalosporins to carbapenems here.
    expect(check('Clarithromycin', ['Penicillin'])).toEqual([]);
  });

  it('compares medicines the table does not know by name', () => {
    expect(kinds('Chlorhexidine mouthwash 0.2%', ['Chlorhexidine'])).toEqual(['allergy:same_drug']);
    expect(check('Chlorhexidine mouthwash', ['Latex'])).toEqual([]);
    expect(check('Amoxicillin', ['Latex', 'Eggs', { substance: 'Peanuts', severity: 'severe' }])).toEqual([]);
  });

  it('gives one warning per allergy entry, the strongest', () => {
    expect(kinds('Amoxicillin', ['Amoxicillin', 'Penicillin', 'Latex'])).toEqual(['allergy:same_drug', 'allergy:same_class']);
  });
});

describe('duplicate-therapy warnings', () => {
  it('warns of an active prescription of the same medicine or the same class', () => {
    expect(check('Omeprazole 20 mg', [], ['Lansoprazole 30 mg capsules'])).toEqual([
      expect.objectContaining({
        kind: 'duplicate_therapy',
        match: 'same_class',
        drugClass: 'Proton pump inhibitors',
        prescriptionId: 'rx-0',
      }),
    ]);
    expect(kinds('Losec 20mg', [], ['omeprazole 40 mg'])).toEqual(['duplicate_therapy:same_drug']);
    expect(kinds('Co-codamol 8/500', [], ['Paracetamol 500 mg'])).toEqual(['duplicate_therapy:same_drug']);
    expect(kinds('Sertraline', [], ['Amlodipine 5 mg', 'Citalopram 20 mg'])).toEqual(['duplicate_therapy:same_class']);
    expect(kinds('Mystery cream', [], ['mystery cream 1%'])).toEqual(['duplicate_therapy:same_drug']);
    expect(check('Amlodipine 5 mg', [], ['Ramipril 5 mg', 'Atorvastatin 20 mg', 'Ferrous sulfate'])).toEqual([]);
  });

  it('reads the generic name stored beside a brand name', () => {
    expect(
      checkPrescription({
        medication: 'Zocor',
        allergies: [],
        activePrescriptions: [{ id: 'a', medication_name: 'Statin X', generic_name: 'atorvastatin' }],
      }).map((w) => w.match),
    ).toEqual(['same_class']);
  });

  it('combines with allergy warnings, allergies first', () => {
    expect(kinds('Naproxen', ['Aspirin'], ['Ibuprofen 400 mg'])).toEqual(['allergy:same_class', 'duplicate_therapy:same_class']);
  });
});

describe('generic names', () => {
  it('resolves brands and combinations, or says it does not know', () => {
    expect(genericNameOf('Augmentin 625 mg')).toBe('co-amoxiclav');
    expect(genericNameOf('Amoxicillin/clavulanate 625 mg')).toBe('co-amoxiclav');
    expect(genericNameOf('Nurofen')).toBe('ibuprofen');
    expect(genericNameOf('Coamoxiclav')).toBe('co-amoxiclav');
    expect(genericNameOf('Something new')).toBeNull();
  });
});
