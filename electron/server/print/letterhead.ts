import { one } from '../db/rows';
import type { Queryable } from '../db/types';
import type { PdfContent } from './document';

/** What heads every printout, from the clinic's own settings (Admin). */
export interface Letterhead {
  name: string;
  address: string;
  phone: string | null;
  email: string | null;
  website: string | null;
  /** The clinic's own lines under its address (Admin → Letterhead), or null. */
  lines: string | null;
  /** The clinic's logo as a data URL (PNG or JPEG), or null. */
  logo: string | null;
  /** The clinic's language, for dates on the page. */
  language: string;
}

/** The caller's clinic's letterhead; the logo comes through clinic_logo(), which every staff member of the clinic may read. */
export async function clinicLetterhead(tx: Queryable, clinicId: string): Promise<Letterhead> {
  return one<Letterhead>(
    tx,
    `SELECT c.name,
       concat_ws(', ', nullif(btrim(c.address_line1), ''), nullif(btrim(c.address_line2), ''), nullif(btrim(c.city), ''),
         nullif(btrim(c.postal_code), ''), nullif(btrim(c.country), '')) AS address,
       nullif(btrim(c.phone), '') AS phone, nullif(btrim(c.email), '') AS email, nullif(btrim(c.website), '') AS website,
       nullif(btrim(c.settings ->> 'letterhead'), '') AS lines,
       'data:' || l.media_type || ';base64,' || translate(encode(l.content, 'base64'), E'\\n', '') AS logo, c.language
     FROM clinics c LEFT JOIN LATERAL clinic_logo() l ON true
     WHERE c.id = $1`,
    [clinicId],
  );
}

/** The logo's box at the top left, in points: a wide logo is 150 wide at most, a tall one 60 high. */
const LOGO_BOX: [number, number] = [150, 60];

/** The logo (when there is one) beside the clinic's name, address and how to reach it, over a rule across the page. */
export function letterheadBlock(letterhead: Letterhead): PdfContent {
  const contact = [letterhead.phone && `Tel. ${letterhead.phone}`, letterhead.email, letterhead.website].filter(Boolean).join('   ·   ');
  const text: PdfContent = {
    width: '*',
    stack: [
      { text: letterhead.name, fontSize: 16, bold: true },
      ...(letterhead.address ? [{ text: letterhead.address, style: 'small' }] : []),
      ...(contact ? [{ text: contact, style: 'small' }] : []),
      ...(letterhead.lines ? [{ text: letterhead.lines, style: 'small' }] : []),
    ],
  };
  return {
    stack: [
      letterhead.logo ? { columns: [{ width: 'auto', image: letterhead.logo, fit: LOGO_BOX }, text], columnGap: 14 } : text,
      { canvas: [{ type: 'line', x1: 0, y1: 6, x2: 499, y2: 6, lineWidth: 0.75, lineColor: '#888888' }] },
    ],
    margin: [0, 0, 0, 8],
  };
}
