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
  /** The clinic's language, for dates on the page. */
  language: string;
}

export async function clinicLetterhead(tx: Queryable, clinicId: string): Promise<Letterhead> {
  return one<Letterhead>(
    tx,
    `SELECT name,
       concat_ws(', ', nullif(btrim(address_line1), ''), nullif(btrim(address_line2), ''), nullif(btrim(city), ''),
         nullif(btrim(postal_code), ''), nullif(btrim(country), '')) AS address,
       nullif(btrim(phone), '') AS phone, nullif(btrim(email), '') AS email, nullif(btrim(website), '') AS website, language
     FROM clinics WHERE id = $1`,
    [clinicId],
  );
}

/** The clinic's name, address and how to reach it, over a rule across the page. */
export function letterheadBlock(letterhead: Letterhead): PdfContent {
  const contact = [letterhead.phone && `Tel. ${letterhead.phone}`, letterhead.email, letterhead.website].filter(Boolean).join('   ·   ');
  return {
    stack: [
      { text: letterhead.name, fontSize: 16, bold: true },
      ...(letterhead.address ? [{ text: letterhead.address, style: 'small' }] : []),
      ...(contact ? [{ text: contact, style: 'small' }] : []),
      { canvas: [{ type: 'line', x1: 0, y1: 6, x2: 499, y2: 6, lineWidth: 0.75, lineColor: '#888888' }] },
    ],
    margin: [0, 0, 0, 8],
  };
}
