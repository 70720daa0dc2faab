import { useEffect, useState } from 'react';
import { clinicNow } from './dates';

/** The clinic's date and minute, kept current: the calendar's "now" line and bookable slots follow it. */
export function useClinicNow(timeZone: string): { date: string; minutes: number } {
  const [now, setNow] = useState(() => clinicNow(timeZone));
  useEffect(() => {
    const timer = window.setInterval(() => setNow(clinicNow(timeZone)), 30_000);
    return () => window.clearInterval(timer);
  }, [timeZone]);
  return now;
}
