import { describe, expect, it } from 'vitest';
import { fillFromTemplate } from './fillFromTemplate';

const template = {
  id: 't',
  name: 'UTI',
  chief_complaint: 'Burning when passing urine',
  history: 'Dysuria for  days.',
  examination: 'Afebrile.',
  assessment: 'Lower UTI.',
  plan: '',
};

describe('starting a note from a template', () => {
  it('fills the empty boxes and keeps what was written', () => {
    const values = {
      chief_complaint: 'Painful urination',
      history: ' ',
      examination: '',
      assessment: '',
      plan: 'Fluids',
      follow_up_days: '7',
    };
    expect(fillFromTemplate(values, template)).toEqual({
      chief_complaint: 'Painful urination',
      history: 'Dysuria for  days.',
      examination: 'Afebrile.',
      assessment: 'Lower UTI.',
      plan: 'Fluids',
      follow_up_days: '7',
    });
  });
});
