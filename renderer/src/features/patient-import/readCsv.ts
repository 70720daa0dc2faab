import Papa from 'papaparse';

/** A spreadsheet saved as CSV: its header row and the rows under it, as text. */
export interface CsvFile {
  name: string;
  headers: string[];
  rows: string[][];
}

/**
 * Reads the chosen file here, in the page (papaparse guesses the delimiter, handles quotes and
 * line breaks in cells); blank lines are dropped. Only the mapped text of each row is sent on.
 */
export function readCsv(file: File): Promise<CsvFile> {
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(file, {
      skipEmptyLines: 'greedy',
      complete: ({ data, errors }) => {
        const [headers, ...rows] = data;
        const broken = errors.find((error) => error.type === 'Quotes');
        if (!headers || headers.length < 2) reject(new Error('This file has no columns: save the spreadsheet as CSV and choose it again.'));
        else if (broken)
          reject(new Error(`Row ${(broken.row ?? 0) + 1} has a quote that is never closed: correct the file and choose it again.`));
        else resolve({ name: file.name, headers: headers.map((header) => header.trim()), rows });
      },
      error: (error) => reject(error),
    });
  });
}
