import Papa from 'papaparse';
import type { RevenueReport } from '../../../../shared/billing';

/**
 * The report as CSV for a spreadsheet: one row per period, then the doctors and the services.
 * Amounts stay the server's exact decimals (no currency symbol), so a spreadsheet adds them up.
 */
export function revenueCsv(report: RevenueReport): string {
  const periods = Papa.unparse({
    fields: ['Period starting', `Invoiced (${report.currency})`, 'Credited', 'Collected', 'Refunded'],
    data: report.rows.map((row) => [row.period, row.invoiced, row.credited, row.collected, row.refunded]),
  });
  const byKey = (title: string, rows: RevenueReport['byDoctor']) =>
    Papa.unparse({ fields: [title, `Invoiced (${report.currency})`], data: rows.map((row) => [row.label, row.invoiced]) });
  return [periods, byKey('Doctor', report.byDoctor), byKey('Service', report.byService)].join('\r\n\r\n');
}

/** Offers text as a file download (the browser's, or the desktop's save dialog). */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
