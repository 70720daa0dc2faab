import { describe, expect, it } from 'vitest';
import { createPrescriptionInput } from '../../../../shared/prescriptions';
import { checkForm } from '../../ui/checkForm';
import { EMPTY_PRESCRIPTION, prescriptionInputOf } from './prescriptionForm';

const PATIENT = '00000000-0000-4000-8000-000000000210';

describe('the prescription form', () => {
  it('sends what was typed, numbers as numbers and blanks as nothing', () => {
    const input = prescriptionInputOf(PATIENT, {
      ...EMPTY_PRESCRIPTION,
      medication: 'Amoxicillin',
      strength: '500 mg',
      form: 'capsule',
      dose: 'One capsule',
      frequency: 'Three times a day',
      durationDays: ' 7 ',
      quantity: '21',
      repeats: '',
    });
    const checked = checkForm(createPrescriptionInput, input);
    expect(checked.ok && checked.value).toMatchObject({
      durationDays: 7,
      repeats: 0,
      quantity: '21',
      instructions: null,
      overrideReason: null,
    });
  });

  it('names the boxes that are wrong, with the messages the server gives', () => {
    const checked = checkForm(
      createPrescriptionInput,
      prescriptionInputOf(PATIENT, { ...EMPTY_PRESCRIPTION, durationDays: 'a week', quantity: '2,5', repeats: '13' }),
    );
    expect(checked.fields).toEqual({
      medication: 'Name the medication.',
      dose: 'Give the dose.',
      frequency: 'Say how often.',
      durationDays: expect.any(String),
      quantity: 'Give the quantity as a number, such as 21 or 2.5.',
      repeats: 'Twelve repeats at most.',
    });
  });
});
