import { useEffect } from 'react';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** How often, at most, activity is reported to the server's idle clock. */
const REPORT_EVERY_MS = 30_000;

/**
 * Calls `onIdle` (keep it stable) once nobody has touched the keyboard or mouse for `seconds`,
 * and `onActive` (also stable) at most every 30 s while somebody does.
 * It measures the wall clock rather than counting ticks, because a hidden or sleeping
 * window delays timers and must still lock as soon as it wakes.
 */
export function useIdleLock(seconds: number, onIdle: () => void, onActive: () => void): void {
  useEffect(() => {
    if (seconds <= 0) return;
    const limitMs = seconds * 1000;
    let lastActivity = Date.now();
    let lastReport = Date.now();
    let timer = 0;
    const noteActivity = () => {
      lastActivity = Date.now();
      if (lastActivity - lastReport >= REPORT_EVERY_MS) {
        lastReport = lastActivity;
        onActive();
      }
    };
    const check = () => {
      const remaining = lastActivity + limitMs - Date.now();
      if (remaining <= 0) onIdle();
      else timer = window.setTimeout(check, remaining);
    };
    for (const type of ACTIVITY) window.addEventListener(type, noteActivity, { capture: true, passive: true });
    timer = window.setTimeout(check, limitMs);
    return () => {
      window.clearTimeout(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, noteActivity, { capture: true });
    };
  }, [seconds, onIdle, onActive]);
}
