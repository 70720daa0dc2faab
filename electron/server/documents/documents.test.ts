import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, type UploadDocumentInput } from '../../../shared/documents';
import { DEMO_TENANT, DEMO_USERS, anotherClinic, demoBackend, demoPatient, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { one } from '../db/rows';
import type { SqlParam } from '../db/types';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

const letter = (patientNumber: number, overrides: Partial<UploadDocumentInput> = {}): UploadDocumentInput => ({
  patientId: demoPatient(patientNumber),
  documentType: 'referral',
  title: 'Cardiology letter',
  documentDate: '2026-10-02',
  fileName: 'cardiology.pdf',
  content: PDF.toString('base64'),
  ...overrides,
});

describe.each(engines)('documents in the chart on %s', (engine) => {
  let app: TestBackend;
  let patel: Caller;
  let okafor: Caller;
  let nurse: Caller;
  let billing: Caller;
  let admin: Caller;
  let otherDoctor: Caller;

  const count = async (sql: string, params: SqlParam[] = []) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${sql}`, params)).n;
  const views = (documentId: string) => count(`activity_logs WHERE activity_type = 'document.view' AND entity_id = $1`, [documentId]);
  const upload = async (caller: Caller, input: UploadDocumentInput) => {
    const listed = await caller.documents.upload(input);
    return listed.find((d) => d.title === input.title)!;
  };

  beforeAll(async () => {
    app = await demoBackend(engine);
    patel = await app.signedIn(DEMO_USERS.doctor);
    okafor = await app.signedIn(DEMO_USERS.secondDoctor);
    nurse = await app.signedIn(DEMO_USERS.nurse);
    billing = await app.signedIn(DEMO_USERS.billing);
    admin = await app.signedIn(DEMO_USERS.admin);
    otherDoctor = (await anotherClinic(app, 'northside')).doctor;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('files a PDF with its type, title and date, lists it, and gives back its bytes with each read logged', async () => {
    const doc = await upload(patel, letter(31));
    expect(doc).toMatchObject({
      document_type: 'referral',
      document_date: '2026-10-02',
      file_name: 'cardiology.pdf',
      mime_type: 'application/pdf',
      file_size: PDF.length,
      is_confidential: false,
      added_by_name: 'Priya Patel',
    });
    expect(await nurse.documents.forPatient({ patientId: demoPatient(31) })).toContainEqual(doc);

    const file = await nurse.documents.open({ documentId: doc.id });
    expect(file).toEqual({ file_name: 'cardiology.pdf', mime_type: 'application/pdf', version: 1, content: PDF.toString('base64') });
    await patel.documents.open({ documentId: doc.id });
    expect(await views(doc.id)).toBe(2);
    // The type is read from the bytes: a PNG named .pdf is a PNG.
    const image = await upload(
      patel,
      letter(31, { title: 'Rash photo', documentType: 'other', fileName: 'rash.pdf', content: PNG.toString('base64') }),
    );
    expect(image.mime_type).toBe('image/png');
  });

  it('refuses a file too large or of another kind beside the file, and writes nothing', async () => {
    const [documents, files] = [await count('documents'), await count('document_files')];
    const tooLarge = await refusal(
      patel.documents.upload(letter(32, { content: Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x25).toString('base64') })),
    );
    expect(tooLarge).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { content: expect.stringMatching(/at most 5 MB/) } });
    const gif = await refusal(patel.documents.upload(letter(32, { content: Buffer.from('GIF89a....').toString('base64') })));
    expect(gif).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { content: 'This file is not one ClinicDesk keeps: attach a PDF, PNG image, JPEG image.' },
    });
    const untitled = await refusal(patel.documents.upload(letter(32, { title: '  ' })));
    expect(untitled.fieldErrors).toMatchObject({ title: 'Give the document a title.' });
    expect([await count('documents'), await count('document_files')]).toEqual([documents, files]);
  });

  it('keeps documents from staff without documents.read, in the router and in the database', async () => {
    const doc = await upload(patel, letter(33));
    expect(await refusal(billing.documents.forPatient({ patientId: demoPatient(33) }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    expect(await refusal(billing.documents.open({ documentId: doc.id }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    const typed = await app.typedBy(DEMO_USERS.billing, 'demo', [
      `SELECT count(*)::int AS n FROM documents`,
      `SELECT * FROM read_document_file('${doc.id}')`,
      `SELECT count(*) FROM document_files`,
      `INSERT INTO documents (tenant_id, patient_id, user_id, title, file_name, storage_key, mime_type, file_size)
       VALUES ('${DEMO_TENANT}', '${demoPatient(33)}', current_app_user_id(), 'Mine', 'x.pdf', 'x', 'application/pdf', 1)`,
    ]);
    expect(typed).toEqual([[{ n: 0 }], { refused: '42501' }, { refused: '42501' }, { refused: '42501' }]);
    expect(await views(doc.id)).toBe(0);
  });

  it('shows a confidential document only to its author and holders of records.confidential', async () => {
    const doc = await upload(patel, letter(34, { title: 'Sexual health clinic letter', isConfidential: true }));
    expect(doc.is_confidential).toBe(true);
    expect((await okafor.documents.forPatient({ patientId: demoPatient(34) })).map((d) => d.id)).not.toContain(doc.id);
    expect(await refusal(okafor.documents.open({ documentId: doc.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await admin.documents.forPatient({ patientId: demoPatient(34) })).map((d) => d.id)).toContain(doc.id);
    expect((await admin.documents.open({ documentId: doc.id })).content).toBe(PDF.toString('base64'));

    const typed = await app.typedBy(DEMO_USERS.secondDoctor, 'demo', [
      `SELECT count(*)::int AS n FROM documents WHERE id = '${doc.id}'`,
      `SELECT count(*)::int AS n FROM read_document_file('${doc.id}')`,
      `SELECT count(*)::int AS n FROM document_files WHERE document_id = '${doc.id}'`,
    ]);
    expect(typed).toEqual([[{ n: 0 }], [{ n: 0 }], { refused: '42501' }]);
    // Only the admin's read was logged: a refused one read nothing.
    expect(await views(doc.id)).toBe(1);
  });

  it('shows another clinic nothing, and lets it neither read nor add bytes', async () => {
    const doc = await upload(patel, letter(35));
    expect(await otherDoctor.documents.forPatient({ patientId: demoPatient(35) })).toEqual([]);
    expect(await refusal(otherDoctor.documents.open({ documentId: doc.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(otherDoctor.documents.upload(letter(35, { title: 'Planted' })))).toMatchObject({ code: 'NOT_FOUND' });
    const typed = await app.typedBy('doctor@northside.test', 'northside', [
      `SELECT count(*)::int AS n FROM documents WHERE id = '${doc.id}'`,
      `SELECT count(*)::int AS n FROM read_document_file('${doc.id}')`,
      `SELECT store_document_file('${doc.id}', '\\x255044462d'::bytea)`,
    ]);
    expect(typed).toEqual([[{ n: 0 }], [{ n: 0 }], { refused: 'P0002' }]);
    expect(await count(`documents WHERE title = 'Planted'`)).toBe(0);
  });
});
