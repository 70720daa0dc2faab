import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useRef, useState } from 'react';

/** pdf.js is large: loaded the first time a PDF is shown. Its worker is a file of the build (CSP: 'self'). */
async function loadPdfJs() {
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  return pdfjs;
}

/** What pdf.js calls 100%: a PDF point is 1/72 inch, a CSS pixel 1/96. */
const ACTUAL_SIZE = 96 / 72;

/**
 * A PDF shown inside the app, a page at a time, fitted to the width of the panel or at its actual
 * size. Nothing in the file runs: no scripts, no eval, no links followed.
 */
export function PdfPages({ base64, title }: { base64: string; title: string }) {
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [fitWidth, setFitWidth] = useState(true);
  const [rendering, setRendering] = useState(true);
  const [width, setWidth] = useState(0);
  const frame = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let cancelled = false;
    let loaded: PDFDocumentProxy | undefined;
    setPdf(null);
    setPage(1);
    setProblem(null);
    loadPdfJs()
      .then((pdfjs) => pdfjs.getDocument({ data: Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), isEvalSupported: false }).promise)
      .then((doc) => {
        loaded = doc;
        if (cancelled) void doc.destroy();
        else setPdf(doc);
      })
      .catch(() => {
        if (!cancelled) setProblem('This PDF could not be shown here. Download it to open it in another viewer.');
      });
    return () => {
      cancelled = true;
      void loaded?.destroy();
    };
  }, [base64]);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const target = canvas.current;
    if (!pdf || !target || width === 0) return;
    let cancelled = false;
    let task: RenderTask | undefined;
    setRendering(true);
    void pdf.getPage(page).then((sheet) => {
      if (cancelled) return;
      const scale = fitWidth ? width / sheet.getViewport({ scale: 1 }).width : ACTUAL_SIZE;
      const shown = sheet.getViewport({ scale });
      // Drawn at the screen's own pixel density, so text stays sharp.
      const viewport = sheet.getViewport({ scale: scale * window.devicePixelRatio });
      target.width = Math.floor(viewport.width);
      target.height = Math.floor(viewport.height);
      target.style.width = `${Math.floor(shown.width)}px`;
      target.style.height = `${Math.floor(shown.height)}px`;
      task = sheet.render({ canvas: target, viewport });
      task.promise.then(
        () => !cancelled && setRendering(false),
        () => undefined, // cancelled by the next page or size
      );
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, page, fitWidth, width]);

  const pages = pdf?.numPages ?? 0;
  return (
    <div className="pdf-pages">
      <div className="pdf-toolbar" role="toolbar" aria-label="Pages">
        <button type="button" className="button-quiet" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          ← Previous page
        </button>
        <span aria-live="polite">{pages > 0 ? `Page ${page} of ${pages}` : 'Opening…'}</span>
        <button type="button" className="button-quiet" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Next page →
        </button>
        <button type="button" className="button-quiet" aria-pressed={fitWidth} onClick={() => setFitWidth(!fitWidth)}>
          Fit to width
        </button>
      </div>
      {problem && <p className="form-problem">{problem}</p>}
      <div ref={frame} className="pdf-frame" aria-busy={!problem && (pdf === null || rendering)}>
        <canvas ref={canvas} role="img" aria-label={pages > 0 ? `${title}, page ${page} of ${pages}` : title} />
      </div>
    </div>
  );
}
