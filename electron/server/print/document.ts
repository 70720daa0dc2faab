/**
 * The part of pdfmake's document model our printouts use. Declared here rather than imported
 * from @types/pdfmake, whose declarations pull the browser's DOM library into the backend's
 * type check (and break Node's own `Headers` there). Add a property when a printout needs it.
 */
export type PdfContent = string | PdfContent[] | PdfBlock;

export type Margin = number | [number, number] | [number, number, number, number];

interface PdfStyle {
  style?: string | string[];
  bold?: boolean;
  italics?: boolean;
  fontSize?: number;
  color?: string;
  alignment?: 'left' | 'center' | 'right' | 'justify';
  margin?: Margin;
  lineHeight?: number;
}

export interface PdfCanvasLine {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  lineWidth?: number;
  lineColor?: string;
}

export type PdfBlock = PdfStyle & {
  width?: number | '*' | 'auto';
  /** Keeps a block on one page (pdfmake moves it whole to the next). */
  unbreakable?: boolean;
} & (
    | { text: PdfContent }
    | { stack: PdfContent[] }
    | { columns: PdfContent[]; columnGap?: number }
    | {
        table: { widths?: (number | '*' | 'auto')[]; headerRows?: number; dontBreakRows?: boolean; body: PdfContent[][] };
        layout?: 'noBorders' | 'headerLineOnly' | 'lightHorizontalLines';
      }
    | { canvas: PdfCanvasLine[] }
    | { image: string; fit?: [number, number] }
  );

export interface PdfDocument {
  content: PdfContent;
  info?: { title?: string; author?: string; subject?: string };
  footer?: (currentPage: number, pageCount: number) => PdfContent;
  styles?: Record<string, PdfStyle>;
}
