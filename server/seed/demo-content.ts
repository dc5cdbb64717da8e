/** What the demo clinic offers and writes: its catalogue and believable record texts. */
export const DEMO_DIAGNOSTICS: { name: string; minutes: number; description: string; reader: 'radiology' | 'cardiology' | 'general' }[] = [
  { name: 'MRI', minutes: 45, reader: 'radiology', description: 'Magnetic resonance imaging of one body region. Remove all metal; tell us about implants or pacemakers.' },
  { name: 'CT scan', minutes: 30, reader: 'radiology', description: 'Computed tomography, with or without contrast. Fast for 4 hours if contrast is planned.' },
  { name: 'X-ray', minutes: 15, reader: 'radiology', description: 'Plain radiograph of chest, spine or a limb.' },
  { name: 'Ultrasound', minutes: 30, reader: 'radiology', description: 'Abdominal, pelvic, thyroid or soft-tissue ultrasound.' },
  { name: 'ECG', minutes: 15, reader: 'cardiology', description: 'Resting 12-lead electrocardiogram.' },
  { name: 'Blood panel', minutes: 15, reader: 'general', description: 'Full blood count, electrolytes, kidney and liver values, lipids, HbA1c. Fast from midnight.' },
  { name: 'Echocardiogram', minutes: 45, reader: 'cardiology', description: 'Ultrasound of the heart at rest.' },
  { name: 'Mammography', minutes: 30, reader: 'radiology', description: 'Breast X-ray, screening or diagnostic.' },
  { name: 'Spirometry', minutes: 30, reader: 'general', description: 'Lung function test before and after a bronchodilator.' },
  { name: 'Bone density scan (DEXA)', minutes: 30, reader: 'radiology', description: 'Dual-energy X-ray absorptiometry of hip and spine.' },
  { name: 'Holter monitoring', minutes: 30, reader: 'cardiology', description: 'Fitting of a 24-hour ambulatory ECG recorder.' },
  { name: 'Allergy skin prick test', minutes: 45, reader: 'general', description: 'Skin prick test for common inhaled and food allergens. No antihistamines for 5 days before.' },
];

export const REQUEST_NOTES = [
  'Lower back pain for three weeks, radiating to the left leg.',
  'Recurring headaches, mostly in the mornings.',
  'Shortness of breath when climbing stairs.',
  'Referred by my GP for a check-up.',
  'Palpitations in the evenings, sometimes dizzy.',
  'Knee swollen after a football match.',
  'Annual check, family history of diabetes.',
  'Persistent cough since the flu in October.',
  'Jag har ont i axeln sedan i somras.',
  'Rash on both forearms that will not go away.',
  null, null, null,
];

export const CANCEL_REASONS = [
  'Patient is travelling.', 'Patient feels better.', 'Doctor on sick leave; to be rebooked.',
  'Clash with work.', 'Booked twice by mistake.', 'Equipment maintenance.',
];

export interface Finding {
  diagnosis: string;
  description: string;
  plan: string | null;
  /** medication, dosage, instructions */
  prescription?: [string, string, string];
}

export const VISIT_FINDINGS: Finding[] = [
  { diagnosis: 'Essential hypertension (I10)', description: 'BP 152/96 at rest, 148/94 after ten minutes. No chest pain, no oedema.', plan: 'Home BP log for two weeks; salt and alcohol advice; follow-up in 4 weeks.', prescription: ['Amlodipine', '5 mg once daily', 'Take in the morning. Report swollen ankles.'] },
  { diagnosis: 'Acute otitis media (H66.9)', description: 'Right ear pain for 3 days, fever 38.4 °C, bulging tympanic membrane.', plan: 'Antibiotics; return if not better in 3 days.', prescription: ['Amoxicillin', '500 mg three times daily', 'For 7 days, finish the course.'] },
  { diagnosis: 'Type 2 diabetes mellitus (E11.9)', description: 'HbA1c 58 mmol/mol, fasting glucose 8.1. BMI 31. Feet normal.', plan: 'Start metformin; dietitian referral; new HbA1c in 3 months.', prescription: ['Metformin', '500 mg twice daily', 'With meals. Increase to 1 g twice daily after two weeks if tolerated.'] },
  { diagnosis: 'Lumbago with sciatica (M54.4)', description: 'Low back pain radiating to the left leg, positive straight-leg raise at 50°, no red flags.', plan: 'Stay active; physiotherapy; MRI if no better in 6 weeks.', prescription: ['Ibuprofen', '400 mg up to three times daily', 'With food, at most 10 days.'] },
  { diagnosis: 'Atopic dermatitis (L20.9)', description: 'Dry, itchy eczema in both elbow creases. No infection.', plan: 'Emollients twice daily; steroid cream for flares.', prescription: ['Hydrocortisone cream 1%', 'Thin layer twice daily', 'For at most 2 weeks at a time.'] },
  { diagnosis: 'Migraine without aura (G43.0)', description: 'Recurrent unilateral throbbing headaches with nausea, 3–4 a month. Neurological status normal.', plan: 'Headache diary; triptan for attacks; review in 3 months.', prescription: ['Sumatriptan', '50 mg at onset', 'May repeat once after 2 hours; at most 2 tablets a day.'] },
  { diagnosis: 'Atrial fibrillation, paroxysmal (I48.0)', description: 'Irregular pulse on palpation, ECG confirms AF with rate 104. CHA₂DS₂-VASc 2.', plan: 'Anticoagulation; Holter monitoring; echocardiogram.', prescription: ['Apixaban', '5 mg twice daily', 'Do not stop without talking to your doctor.'] },
  { diagnosis: 'Osteoarthritis of the knee (M17.1)', description: 'Left knee pain on stairs, crepitus, mild effusion. X-ray shows joint space narrowing.', plan: 'Weight-bearing exercise programme; paracetamol; review in 3 months.', prescription: ['Paracetamol', '1 g up to four times daily', 'At most 4 g in 24 hours.'] },
  { diagnosis: 'Seasonal allergic rhinitis (J30.2)', description: 'Sneezing, itchy eyes every spring. Skin prick test positive for birch.', plan: 'Antihistamine and nasal steroid in season.', prescription: ['Cetirizine', '10 mg once daily', 'During the pollen season.'] },
  { diagnosis: 'Health check, no findings (Z00.0)', description: 'Routine check. BP 124/78, BMI 23, lungs and heart normal.', plan: null },
  { diagnosis: 'Upper respiratory infection (J06.9)', description: 'Sore throat and cough for 4 days, afebrile, lungs clear.', plan: 'Fluids and rest; no antibiotics needed.' },
  { diagnosis: 'Iron-deficiency anaemia (D50.9)', description: 'Tiredness; Hb 104 g/L, ferritin 6 µg/L.', plan: 'Oral iron; repeat blood panel in 8 weeks; investigate cause.', prescription: ['Ferrous sulfate', '100 mg once daily', 'On an empty stomach, with orange juice; not with tea or coffee.'] },
];

export const DIAGNOSTIC_FINDINGS = [
  'no abnormal findings',
  'minor degenerative changes, age-appropriate',
  'finding needs follow-up; see plan',
  'normal study, compared with earlier examination',
  'mild changes, clinical correlation advised',
];
