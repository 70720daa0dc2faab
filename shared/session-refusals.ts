/**
 * Why the server refused a call because of the session rather than what was typed. It travels
 * with the error (`data.reason`) so that the screen acts on it, never on the message's wording.
 * - SIGNED_OUT: nobody is signed in at this window, or no longer (the message says why).
 * - SCREEN_LOCKED: the session is locked (idle, or locked elsewhere): only unlocking works.
 * - PASSWORD_CHANGE_REQUIRED: signed in with a temporary password: only changing it works.
 * - NOT_PERMITTED: the person's role does not allow this.
 * - TOO_MANY_ATTEMPTS: this screen tried too many sign-ins or unlocks within a minute.
 * - ACCOUNT_LOCKED: too many wrong passwords locked the account for a while.
 */
export type SessionRefusal =
  'SIGNED_OUT' | 'SCREEN_LOCKED' | 'PASSWORD_CHANGE_REQUIRED' | 'NOT_PERMITTED' | 'TOO_MANY_ATTEMPTS' | 'ACCOUNT_LOCKED';
