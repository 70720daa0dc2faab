/**
 * A small curated table of common primary-care medicines and the classes they belong to, for
 * the prescribing safety checks (shared/prescribing-checks.ts): allergy, cross-sensitivity and
 * duplicate-therapy warnings, offline.
 *
 * Scope: a few hundred names (generic names, British and American spellings, and some UK/US
 * brand names) in the classes a general practice prescribes most, written by the ClinicDesk
 * team from general pharmacology; no licensed code set (ATC, dm+d, RxNorm, BNF) is bundled or
 * copied. It knows nothing of doses, interactions between classes, contraindications,
 * pregnancy, renal function or excipients, and a medicine that is not listed gets only the
 * checks by name. It is an aid to memory, NOT a substitute for clinical judgment or for a
 * licensed drug database: a missing warning never means a medicine is safe.
 *
 * Names are written lower case without accents; the checks normalise what is typed the same way.
 */

export const DRUG_CLASSES = {
  penicillins: {
    name: 'Penicillins',
    member: 'a penicillin',
    allergyTerms: ['penicillin', 'pcn', 'beta lactam', 'betalactam'],
  },
  cephalosporins: {
    name: 'Cephalosporins',
    member: 'a cephalosporin',
    allergyTerms: ['cephalosporin', 'cefalosporin', 'beta lactam', 'betalactam'],
  },
  carbapenems: { name: 'Carbapenems', member: 'a carbapenem', allergyTerms: ['carbapenem', 'beta lactam', 'betalactam'] },
  macrolides: { name: 'Macrolides', member: 'a macrolide', allergyTerms: ['macrolide'] },
  tetracyclines: { name: 'Tetracyclines', member: 'a tetracycline', allergyTerms: ['tetracycline'] },
  fluoroquinolones: {
    name: 'Fluoroquinolones',
    member: 'a fluoroquinolone',
    allergyTerms: ['quinolone', 'fluoroquinolone'],
  },
  sulfonamides: {
    name: 'Sulfonamide antibiotics',
    member: 'a sulfonamide',
    allergyTerms: ['sulfa', 'sulpha', 'sulfonamide', 'sulphonamide', 'sulfa drug', 'sulpha drug'],
  },
  nsaids: {
    name: 'NSAIDs',
    member: 'an NSAID',
    allergyTerms: ['nsaid', 'non steroidal anti inflammatory', 'nonsteroidal anti inflammatory', 'anti inflammatory', 'salicylate'],
  },
  coxibs: { name: 'COX-2 inhibitors', member: 'a COX-2 inhibitor', allergyTerms: ['coxib', 'cox 2 inhibitor'] },
  opioids: { name: 'Opioids', member: 'an opioid', allergyTerms: ['opioid', 'opiate'] },
  ace_inhibitors: { name: 'ACE inhibitors', member: 'an ACE inhibitor', allergyTerms: ['ace inhibitor', 'acei'] },
  arbs: {
    name: 'Angiotensin receptor blockers',
    member: 'an angiotensin receptor blocker',
    allergyTerms: ['arb', 'angiotensin receptor blocker', 'angiotensin ii receptor blocker', 'sartan'],
  },
  statins: { name: 'Statins', member: 'a statin', allergyTerms: ['statin'] },
  ssris: { name: 'SSRIs', member: 'an SSRI', allergyTerms: ['ssri', 'selective serotonin reuptake inhibitor'] },
  ppis: { name: 'Proton pump inhibitors', member: 'a proton pump inhibitor', allergyTerms: ['ppi', 'proton pump inhibitor'] },
  beta_blockers: { name: 'Beta blockers', member: 'a beta blocker', allergyTerms: ['beta blocker', 'betablocker'] },
  benzodiazepines: { name: 'Benzodiazepines', member: 'a benzodiazepine', allergyTerms: ['benzodiazepine', 'benzo'] },
  calcium_channel_blockers: {
    name: 'Calcium channel blockers (dihydropyridines)',
    member: 'a calcium channel blocker',
    allergyTerms: ['calcium channel blocker', 'ccb'],
  },
  triptans: { name: 'Triptans', member: 'a triptan', allergyTerms: ['triptan'] },
} as const satisfies Record<string, { name: string; member: string; allergyTerms: readonly string[] }>;

export type DrugClassId = keyof typeof DRUG_CLASSES;

export interface Drug {
  /** The generic name, as the warnings print it. */
  name: string;
  classes: readonly DrugClassId[];
  /** Other spellings, brand names and long forms that mean this medicine. */
  aliases?: readonly string[];
  /** A combination's other active ingredients, by their generic name in this table. */
  contains?: readonly string[];
}

const d = (name: string, classes: DrugClassId[], aliases: string[] = [], contains: string[] = []): Drug => ({
  name,
  classes,
  aliases,
  contains,
});

export const DRUGS: readonly Drug[] = [
  // Penicillins
  d('amoxicillin', ['penicillins'], ['amoxycillin', 'amoxil']),
  d('ampicillin', ['penicillins']),
  d('co-amoxiclav', ['penicillins'], ['augmentin', 'amoxicillin clavulanate', 'amoxicillin clavulanic acid'], ['amoxicillin']),
  d('flucloxacillin', ['penicillins'], ['floxapen']),
  d('dicloxacillin', ['penicillins']),
  d('phenoxymethylpenicillin', ['penicillins'], ['penicillin v', 'pen v']),
  d('benzylpenicillin', ['penicillins'], ['penicillin g', 'pen g']),
  d('piperacillin', ['penicillins']),
  d('piperacillin with tazobactam', ['penicillins'], ['tazocin', 'piperacillin tazobactam'], ['piperacillin']),
  d('pivmecillinam', ['penicillins'], ['selexid']),
  d('temocillin', ['penicillins']),
  // Cephalosporins
  d('cefalexin', ['cephalosporins'], ['cephalexin', 'keflex']),
  d('cefadroxil', ['cephalosporins']),
  d('cefradine', ['cephalosporins'], ['cephradine']),
  d('cefaclor', ['cephalosporins'], ['distaclor']),
  d('cefuroxime', ['cephalosporins'], ['zinnat', 'zinacef']),
  d('cefixime', ['cephalosporins'], ['suprax']),
  d('cefpodoxime', ['cephalosporins']),
  d('cefdinir', ['cephalosporins']),
  d('cefazolin', ['cephalosporins'], ['cephazolin']),
  d('cefotaxime', ['cephalosporins']),
  d('ceftriaxone', ['cephalosporins'], ['rocephin']),
  d('ceftazidime', ['cephalosporins'], ['fortum']),
  // Carbapenems
  d('meropenem', ['carbapenems']),
  d('imipenem', ['carbapenems'], ['imipenem cilastatin', 'primaxin']),
  d('ertapenem', ['carbapenems'], ['invanz']),
  // Macrolides
  d('erythromycin', ['macrolides'], ['erythrocin', 'erymax']),
  d('clarithromycin', ['macrolides'], ['klaricid', 'biaxin']),
  d('azithromycin', ['macrolides'], ['zithromax', 'z pak', 'zpak']),
  // Tetracyclines
  d('doxycycline', ['tetracyclines'], ['vibramycin']),
  d('lymecycline', ['tetracyclines'], ['tetralysal']),
  d('oxytetracycline', ['tetracyclines']),
  d('minocycline', ['tetracyclines']),
  d('tetracycline', ['tetracyclines']),
  // Fluoroquinolones
  d('ciprofloxacin', ['fluoroquinolones'], ['ciproxin', 'cipro']),
  d('levofloxacin', ['fluoroquinolones'], ['tavanic', 'levaquin']),
  d('ofloxacin', ['fluoroquinolones']),
  d('moxifloxacin', ['fluoroquinolones'], ['avelox']),
  d('norfloxacin', ['fluoroquinolones']),
  // Sulfonamide antibiotics (and sulfasalazine, which releases one); trimethoprim alone is not one.
  d('sulfamethoxazole', ['sulfonamides'], ['sulphamethoxazole']),
  d(
    'co-trimoxazole',
    ['sulfonamides'],
    ['septrin', 'bactrim', 'sulfamethoxazole trimethoprim', 'trimethoprim sulfamethoxazole', 'tmp smx'],
    ['sulfamethoxazole', 'trimethoprim'],
  ),
  d('sulfadiazine', ['sulfonamides'], ['sulphadiazine']),
  d('sulfasalazine', ['sulfonamides'], ['sulphasalazine', 'salazopyrin']),
  d('trimethoprim', []),
  d('nitrofurantoin', [], ['macrobid', 'macrodantin']),
  // NSAIDs (aspirin included: its cross-reactions are those of the class)
  d('ibuprofen', ['nsaids'], ['nurofen', 'brufen', 'advil', 'motrin']),
  d('naproxen', ['nsaids'], ['naprosyn', 'aleve']),
  d('diclofenac', ['nsaids'], ['voltarol', 'voltaren']),
  d('aspirin', ['nsaids'], ['acetylsalicylic acid', 'disprin']),
  d('mefenamic acid', ['nsaids'], ['ponstan']),
  d('indometacin', ['nsaids'], ['indomethacin']),
  d('ketoprofen', ['nsaids']),
  d('ketorolac', ['nsaids']),
  d('meloxicam', ['nsaids']),
  d('piroxicam', ['nsaids']),
  d('flurbiprofen', ['nsaids'], ['strefen']),
  d('celecoxib', ['coxibs'], ['celebrex']),
  d('etoricoxib', ['coxibs'], ['arcoxia']),
  // Paracetamol is no NSAID; listed so combinations and brands resolve.
  d('paracetamol', [], ['acetaminophen', 'calpol', 'panadol', 'tylenol']),
  // Opioids
  d('codeine', ['opioids'], ['codeine phosphate']),
  d('co-codamol', ['opioids'], ['codeine paracetamol', 'tylex', 'solpadol', 'zapain'], ['codeine', 'paracetamol']),
  d('dihydrocodeine', ['opioids'], ['df118']),
  d('co-dydramol', ['opioids'], [], ['dihydrocodeine', 'paracetamol']),
  d('tramadol', ['opioids'], ['zydol', 'ultram']),
  d('morphine', ['opioids'], ['oramorph', 'mst continus', 'zomorph']),
  d('oxycodone', ['opioids'], ['oxycontin', 'oxynorm']),
  d('fentanyl', ['opioids'], ['durogesic']),
  d('buprenorphine', ['opioids'], ['butrans', 'subutex']),
  d('tapentadol', ['opioids'], ['palexia']),
  d('methadone', ['opioids']),
  d('hydrocodone', ['opioids']),
  d('hydromorphone', ['opioids']),
  // ACE inhibitors
  d('ramipril', ['ace_inhibitors'], ['tritace']),
  d('lisinopril', ['ace_inhibitors'], ['zestril']),
  d('enalapril', ['ace_inhibitors'], ['innovace']),
  d('perindopril', ['ace_inhibitors'], ['coversyl']),
  d('captopril', ['ace_inhibitors']),
  d('trandolapril', ['ace_inhibitors']),
  // ARBs
  d('losartan', ['arbs'], ['cozaar']),
  d('candesartan', ['arbs'], ['amias']),
  d('valsartan', ['arbs'], ['diovan']),
  d('irbesartan', ['arbs'], ['aprovel']),
  d('olmesartan', ['arbs'], ['olmetec']),
  d('telmisartan', ['arbs'], ['micardis']),
  // Statins
  d('atorvastatin', ['statins'], ['lipitor']),
  d('simvastatin', ['statins'], ['zocor']),
  d('rosuvastatin', ['statins'], ['crestor']),
  d('pravastatin', ['statins']),
  d('fluvastatin', ['statins']),
  // SSRIs
  d('fluoxetine', ['ssris'], ['prozac']),
  d('sertraline', ['ssris'], ['lustral', 'zoloft']),
  d('citalopram', ['ssris'], ['cipramil', 'celexa']),
  d('escitalopram', ['ssris'], ['cipralex', 'lexapro']),
  d('paroxetine', ['ssris'], ['seroxat', 'paxil']),
  d('fluvoxamine', ['ssris']),
  // PPIs
  d('omeprazole', ['ppis'], ['losec', 'prilosec']),
  d('esomeprazole', ['ppis'], ['nexium']),
  d('lansoprazole', ['ppis'], ['zoton', 'prevacid']),
  d('pantoprazole', ['ppis'], ['protium', 'protonix']),
  d('rabeprazole', ['ppis'], ['pariet']),
  // Beta blockers
  d('atenolol', ['beta_blockers'], ['tenormin']),
  d('bisoprolol', ['beta_blockers'], ['cardicor', 'congescor']),
  d('propranolol', ['beta_blockers'], ['inderal']),
  d('metoprolol', ['beta_blockers'], ['lopressor', 'betaloc']),
  d('carvedilol', ['beta_blockers']),
  d('nebivolol', ['beta_blockers'], ['nebilet']),
  d('labetalol', ['beta_blockers']),
  d('sotalol', ['beta_blockers']),
  // Benzodiazepines
  d('diazepam', ['benzodiazepines'], ['valium']),
  d('lorazepam', ['benzodiazepines'], ['ativan']),
  d('alprazolam', ['benzodiazepines'], ['xanax']),
  d('temazepam', ['benzodiazepines']),
  d('clonazepam', ['benzodiazepines'], ['rivotril', 'klonopin']),
  d('chlordiazepoxide', ['benzodiazepines'], ['librium']),
  d('nitrazepam', ['benzodiazepines']),
  d('oxazepam', ['benzodiazepines']),
  // Calcium channel blockers (dihydropyridines)
  d('amlodipine', ['calcium_channel_blockers'], ['istin', 'norvasc']),
  d('nifedipine', ['calcium_channel_blockers'], ['adalat']),
  d('felodipine', ['calcium_channel_blockers']),
  d('lercanidipine', ['calcium_channel_blockers'], ['zanidip']),
  // Triptans
  d('sumatriptan', ['triptans'], ['imigran', 'imitrex']),
  d('zolmitriptan', ['triptans'], ['zomig']),
  d('rizatriptan', ['triptans'], ['maxalt']),
  d('naratriptan', ['triptans']),
  d('almotriptan', ['triptans']),
  d('eletriptan', ['triptans'], ['relpax']),
];

/**
 * Documented cross-sensitivity between classes: someone allergic to `from` reacts to `to` less
 * often than to `from` itself, so the checks warn more softly. In our own words, in outline.
 */
export const CROSS_SENSITIVITIES: readonly { from: DrugClassId; to: DrugClassId; note: string }[] = [
  {
    from: 'penicillins',
    to: 'cephalosporins',
    note: 'a small share of people allergic to penicillins also react to cephalosporins (more often to early ones such as cefalexin, and after an immediate or anaphylactic reaction)',
  },
  {
    from: 'cephalosporins',
    to: 'penicillins',
    note: 'a small share of people allergic to cephalosporins also react to penicillins',
  },
  {
    from: 'penicillins',
    to: 'carbapenems',
    note: 'cross-reaction between penicillins and carbapenems is uncommon but reported',
  },
  {
    from: 'nsaids',
    to: 'coxibs',
    note: 'COX-2 inhibitors are usually tolerated after an NSAID reaction, but not by everyone',
  },
  {
    from: 'ace_inhibitors',
    to: 'arbs',
    note: 'angioedema on an ACE inhibitor occasionally recurs on an angiotensin receptor blocker',
  },
];
