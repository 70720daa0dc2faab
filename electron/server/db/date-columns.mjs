// How both engines read date and time columns: pg (postgres.ts) and PGlite (pglite-worker-entry.mjs)
// use these parsers, so the same value comes back as the same string from either.
// Plain JavaScript, like the worker entry that imports it.

// PostgreSQL's text for a timestamp with DateStyle ISO, in the session's time zone:
// 2026-11-29 18:30:00.123456+05:30 (old dates' offsets can have seconds: -00:01:15), no offset
// for a timestamp without time zone, and ' BC' after years before 1.
const POSTGRES_TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/;

/**
 * A timestamp as the app and the wire carry it: ISO-8601 with milliseconds, as Date#toISOString
 * writes it. A timestamptz is the instant in UTC (2026-11-29T18:30:00.000Z) whatever the
 * session's time zone; a timestamp without time zone, a wall-clock reading, is the same without
 * the Z. Microseconds are cut to milliseconds; infinity and -infinity stay as they are.
 */
function isoTimestamp(text) {
  if (text === 'infinity' || text === '-infinity') return text;
  const parts = POSTGRES_TIMESTAMP.exec(text);
  if (!parts) throw new Error('PostgreSQL wrote a timestamp in a form other than ISO: ClinicDesk needs DateStyle ISO.');
  const [, year, month, day, hour, minute, second, fraction = '', sign, offsetHours, offsetMinutes = '0', offsetSeconds = '0', bc] = parts;
  const reading = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0-99 as they are.
  reading.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  reading.setUTCHours(Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (!sign) return reading.toISOString().slice(0, -1);
  const offsetMs = (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60 + Number(offsetSeconds)) * 1000;
  return new Date(reading.getTime() - (sign === '+' ? offsetMs : -offsetMs)).toISOString();
}

/**
 * The column types read here, by PostgreSQL type id, with the id of their array type (pg needs
 * it; PGlite parses arrays with the element's parser). A calendar date stays 'YYYY-MM-DD': a
 * date of birth must not shift with the time zone.
 */
export const DATE_TIME_COLUMNS = [
  { oid: 1082, arrayOid: 1182, parse: (text) => text }, // date
  { oid: 1114, arrayOid: 1115, parse: isoTimestamp }, // timestamp
  { oid: 1184, arrayOid: 1185, parse: isoTimestamp }, // timestamptz
];
