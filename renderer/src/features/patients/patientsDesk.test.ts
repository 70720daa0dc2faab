import { beforeEach, describe, expect, it } from 'vitest';
import { valuesFromStart } from './formValues';
import { usePatientsDesk } from './patientsDesk';

const typed = { ...valuesFromStart({}, 'en-GB'), first_name: 'Wendy' };

describe('a form with changes not saved', () => {
  beforeEach(() => usePatientsDesk.getState().reset());

  it('holds a move away (F2, another record) until the desk discards the changes', () => {
    const desk = usePatientsDesk.getState();
    desk.register({});
    desk.keepDraft({ form: 'register', values: typed, changed: true });
    desk.focusSearch();
    expect(usePatientsDesk.getState().page).toEqual({ name: 'register', start: {} });
    expect(usePatientsDesk.getState().leaving?.page).toEqual({ name: 'search' });

    desk.keepEditing();
    expect(usePatientsDesk.getState()).toMatchObject({ page: { name: 'register' }, leaving: null, draft: { values: typed } });

    const focusRequests = usePatientsDesk.getState().searchFocusRequests;
    desk.focusSearch();
    desk.discardDraft();
    expect(usePatientsDesk.getState()).toMatchObject({ page: { name: 'search' }, draft: null, leaving: null });
    expect(usePatientsDesk.getState().searchFocusRequests).toBe(focusRequests + 1);
  });

  it('lets an unchanged form, or one just saved, go without asking', () => {
    const desk = usePatientsDesk.getState();
    desk.edit('p-1');
    desk.keepDraft({ form: 'edit:p-1', values: typed, changed: false });
    desk.openPatient('p-2');
    expect(usePatientsDesk.getState()).toMatchObject({ page: { name: 'record', patientId: 'p-2' }, draft: null, leaving: null });

    desk.edit('p-2');
    desk.keepDraft({ form: 'edit:p-2', values: typed, changed: true });
    desk.dropDraft();
    desk.openPatient('p-2', 'Saved.');
    expect(usePatientsDesk.getState()).toMatchObject({ page: { name: 'record', patientId: 'p-2' }, notice: 'Saved.' });
  });
});
