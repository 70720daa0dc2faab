import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../../../shared/documents';
import { fileProblem, fileSizeLabel, titleFromFileName } from './chosenFile';

describe('a chosen file', () => {
  it('is refused when empty, too large or of another kind, before it is read', () => {
    expect(fileProblem({ name: 'a.pdf', size: 0, type: 'application/pdf' })).toBe('This file is empty.');
    expect(fileProblem({ name: 'a.pdf', size: MAX_DOCUMENT_BYTES + 1, type: 'application/pdf' })).toMatch(/at most 5 MB/);
    expect(fileProblem({ name: 'a.gif', size: 10, type: 'image/gif' })).toBe('Attach a PDF, PNG image, JPEG image.');
    expect(fileProblem({ name: 'scan.jpg', size: MAX_DOCUMENT_BYTES, type: 'image/jpeg' })).toBeNull();
    // Some systems give no type: the server reads it from the bytes.
    expect(fileProblem({ name: 'scan', size: 10, type: '' })).toBeNull();
  });

  it('suggests a title from its name and says its size', () => {
    expect(titleFromFileName('cardiology_letter-2026.pdf')).toBe('cardiology letter 2026');
    expect(titleFromFileName('x-ray.final.png')).toBe('x ray.final');
    expect(fileSizeLabel(300)).toBe('1 KB');
    expect(fileSizeLabel(86_000)).toBe('84 KB');
    expect(fileSizeLabel(1_258_291)).toBe('1.2 MB');
  });
});
