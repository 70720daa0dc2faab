import { useEffect } from 'react';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` (keep it stable) once nobody has touched the keyboard or mouse for `seconds`.
 * It measures the wall clock rather than counting ticks, because a hidden or sleeping
 * window delays timers and must still lock as soon as it wakes.
 */
export function useIdleLock(seconds: number, onIdle: () => void): void {
  useEffect(() => {
    if (seconds <= 0) return;
    const limitMs = seconds * 1000;
    let lastActivity = Date.now();
    let timer = 0;
    const noteActivity = () => {
      lastActivity = Date.now();
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
  }, [seconds, onIdle]);
}
