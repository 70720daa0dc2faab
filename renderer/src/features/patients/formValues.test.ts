import { describe, expect, it } from 'vitest';
import { patientDetails, type Patient } from '../../../../shared/patients';
import { detailsInput, valuesFromPatient, valuesFromStart } from './formValues';

const DOCTOR_ID = '3f0e5a43-7a4f-4d8e-9a59-6a1f0f3c2b10';

const recorded: Patient = {
  id: '7b9f3a51-0c2d-4a51-8f0e-2d6c9b1e4a77',
  patient_number: 'P-000042',
  created_at: '2026-01-05T10:00:00Z',
  updated_at: '2026-01-05T10:00:00Z',
  primary_care_physician_name: 'Dr Priya Patel',
  first_name: 'Margaret',
  middle_name: null,
  last_name: 'Okonkwo',
  date_of_birth: '1968-03-14',
  gender: 'Female',
  blood_group: 'O+',
  marital_status: null,
  occupation: 'Teacher',
  preferred_language: null,
  national_id: null,
  email: null,
  phone: '07700 900123',
  alternate_phone: null,
  address_line1: '12 Mill Lane',
  address_line2: null,
  city: 'Riverside',
  state: null,
  postal_code: 'RV1 2AB',
  country: 'United Kingdom',
  emergency_contact_name: null,
  emergency_contact_phone: null,
  emergency_contact_relationship: null,
  allergies: [{ substance: 'Penicillin', reaction: null, severity: 'severe' }],
  medical_history: [{ condition: 'Asthma', since: '1990', notes: null }],
  current_medications: [{ name: 'Salbutamol', dose: '100 mcg', frequency: null }],
  insurance_info: { provider: 'Bupa', policy_number: 'BU-1', group_number: null, valid_until: '2027-01-31' },
  alerts: 'Hard of hearing',
  primary_care_physician_id: DOCTOR_ID,
  notes: null,
};

describe('a new registration’s form', () => {
  it('starts from what was searched for, with the date typed the clinic’s way', () => {
    const values = valuesFromStart({ last_name: 'Okonkwo', date_of_birth: '1968-03-14', phone: '07700 900123' }, 'en-GB');
    expect(values.last_name).toBe('Okonkwo');
    expect(values.first_name).toBe('');
    expect(values.date_of_birth).toBe('14/03/1968');
    expect(values.phone).toBe('07700 900123');
  });

  it('starts with every other field empty and no entries in the lists', () => {
    const values = valuesFromStart({}, 'en-US');
    expect(values.gender).toBe('');
    expect(values.primary_care_physician_id).toBe('');
    expect(values.insurance_info).toEqual({ provider: '', policy_number: '', group_number: '', valid_until: '' });
    expect([values.allergies, values.medical_history, values.current_medications]).toEqual([[], [], []]);
  });
});

describe('an existing record’s form', () => {
  it('shows what is not recorded as empty text, and dates as the clinic types them', () => {
    const values = valuesFromPatient(recorded, 'en-US');
    expect(values.middle_name).toBe('');
    expect(values.blood_group).toBe('O+');
    expect(values.date_of_birth).toBe('03/14/1968');
    expect(values.insurance_info).toEqual({ provider: 'Bupa', policy_number: 'BU-1', group_number: '', valid_until: '01/31/2027' });
  });

  it('turns each list entry into a row of text fields', () => {
    const values = valuesFromPatient(recorded, 'en-GB');
    expect(values.allergies).toEqual([{ substance: 'Penicillin', reaction: '', severity: 'severe' }]);
    expect(values.medical_history).toEqual([{ condition: 'Asthma', since: '1990', notes: '' }]);
    expect(values.current_medications).toEqual([{ name: 'Salbutamol', dose: '100 mcg', frequency: '' }]);
  });

  it('saves back to the same details when nothing was changed', () => {
    const { input, dateProblems } = detailsInput(valuesFromPatient(recorded, 'en-GB'), 'en-GB');
    expect(dateProblems).toEqual({});
    const {
      id: _id,
      patient_number: _number,
      created_at: _created,
      updated_at: _updated,
      primary_care_physician_name: _doctor,
      ...details
    } = recorded;
    expect(patientDetails.parse(input)).toEqual(details);
  });
});

describe('the form as the server’s input', () => {
  it('reads typed dates as ISO dates, in the order of the clinic’s language', () => {
    const values = { ...valuesFromStart({}, 'en-US'), date_of_birth: '05/17/1980' };
    values.insurance_info.valid_until = '12/31/2026';
    const { input, dateProblems } = detailsInput(values, 'en-US');
    expect(dateProblems).toEqual({});
    expect(input).toMatchObject({ date_of_birth: '1980-05-17', insurance_info: { valid_until: '2026-12-31' } });
  });

  it('asks for a date of birth left empty', () => {
    const { dateProblems } = detailsInput(valuesFromStart({}, 'en-GB'), 'en-GB');
    expect(dateProblems).toEqual({ date_of_birth: 'Enter the date of birth.' });
  });

  it('shows an example for a date that cannot be read, in the clinic’s order', () => {
    const values = { ...valuesFromStart({}, 'en-GB'), date_of_birth: '31/02/1980' };
    values.insurance_info.valid_until = 'next year';
    expect(detailsInput(values, 'en-GB').dateProblems).toEqual({
      date_of_birth: 'Use a date like 17/05/1980.',
      'insurance_info.valid_until': 'Use a date like 17/05/1980.',
    });
  });

  it('sends "not given" choices as null and an empty insurance end date as none', () => {
    const values = { ...valuesFromStart({}, 'en-GB'), date_of_birth: '17/05/1980' };
    expect(detailsInput(values, 'en-GB').input).toMatchObject({
      blood_group: null,
      marital_status: null,
      primary_care_physician_id: null,
      insurance_info: { valid_until: null },
    });
  });
});
