import { beforeEach, describe, expect, it } from 'vitest';
import { useCalendarDesk } from '../../features/calendar/calendarDesk';
import { usePatientsDesk } from '../../features/patients/patientsDesk';
import { useReception } from './receptionDesk';

const margaret = { id: 'p-1', name: 'Margaret Okonkwo', patient_number: 'P-000042' };

describe('moving around Reception', () => {
  beforeEach(() => useReception.getState().reset());

  it('opens a patient’s record from the calendar on the Patients page', () => {
    useReception.getState().show('calendar');
    useReception.getState().openPatient('p-1');
    expect(useReception.getState().view).toBe('patients');
    expect(usePatientsDesk.getState().page).toEqual({ name: 'record', patientId: 'p-1' });
  });

  it('takes “Book appointment” on a record to the calendar, booking for that patient', () => {
    useReception.getState().bookFor(margaret);
    expect(useReception.getState().view).toBe('calendar');
    expect(useCalendarDesk.getState().bookingFor).toEqual(margaret);
  });

  it('brings F2 back to the search from any page, keeping what was typed', () => {
    usePatientsDesk.getState().setSearchText('okon');
    usePatientsDesk.getState().openPatient('p-1');
    useReception.getState().show('queue');
    useReception.getState().findPatient();
    expect(useReception.getState().view).toBe('patients');
    expect(usePatientsDesk.getState()).toMatchObject({ page: { name: 'search' }, searchText: 'okon', searchFocusRequests: 1 });
  });

  it('drops a confirmation once the desk moves to another page', () => {
    usePatientsDesk.getState().backToSearch('Margaret Okonkwo (P-000042) was archived.');
    expect(usePatientsDesk.getState().notice).not.toBeNull();
    useReception.getState().show('calendar');
    useReception.getState().show('patients');
    expect(usePatientsDesk.getState().notice).toBeNull();
  });

  it('forgets the search, the record, the calendar’s place and the booking on reset (lock, sign-out)', () => {
    usePatientsDesk.getState().setSearchText('okon');
    useReception.getState().openPatient('p-1');
    useCalendarDesk.getState().show({ mode: 'week', date: '2026-03-16', doctorId: 'd-patel' });
    useReception.getState().bookFor(margaret);
    useReception.getState().reset();
    expect(useReception.getState().view).toBe('patients');
    expect(usePatientsDesk.getState()).toMatchObject({ page: { name: 'search' }, searchText: '', notice: null });
    expect(useCalendarDesk.getState()).toMatchObject({ choice: { mode: 'day', date: null, doctorId: '' }, bookingFor: null });
  });
});
