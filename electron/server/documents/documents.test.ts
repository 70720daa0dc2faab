import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, type UploadDocumentInput } from '../../../shared/documents';
import {
  DEMO_TENANT,
  DEMO_USERS,
  DR_PATEL_ID,
  anotherClinic,
  demoBackend,
  demoPatient,
  refusal,
  sqlState,
  staffSql,
  type TestBackend,
} from '../../../test/backend';
import { engines } from '../../../test/engines';
import { one } from '../db/rows';
import type { SqlParam } from '../db/types';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const FIRST = pdf('first');
const SECOND = pdf('second, with the consultant’s corrections');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);

const letter = (patientNumber: number, overrides: Partial<UploadDocumentInput> = {}): UploadDocumentInput => ({
  patientId: demoPatient(patientNumber),
  documentType: 'referral',
  title: 'Cardiology letter',
  documentDate: '2026-10-02',
  fileName: 'cardiology.pdf',
  content: PDF.toString('base64'),
  ...overrides,
});

/** A discharge summary, replaced by corrected versions in the tests of versions. */
const discharge = (patientNumber: number, overrides: Partial<UploadDocumentInput> = {}): UploadDocumentInput => ({
  patientId: demoPatient(patientNumber),
  documentType: 'discharge_summary',
  title: 'Discharge summary',
  documentDate: '2026-11-02',
  fileName: 'discharge.pdf',
  content: FIRST.toString('base64'),
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

  const written = (documentId: string) =>
    Promise.all([
      count(`document_versions WHERE document_id = $1`, [documentId]),
      count(`document_files WHERE document_id = $1`, [documentId]),
      one<{ version: number }>(app.db, `SELECT version FROM documents WHERE id = $1`, [documentId]).then((d) => d.version),
    ]);

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

  it('keeps the document and shows its newest version; the earlier one stays, listed and readable, each read logged', async () => {
    const doc = await upload(patel, discharge(41, { isConfidential: false }));
    expect(doc.version).toBe(1);
    const versions = await nurse.documents.uploadVersion({
      documentId: doc.id,
      fileName: 'discharge-corrected.pdf',
      content: SECOND.toString('base64'),
    });
    expect(versions).toMatchObject([
      {
        version: 2,
        file_name: 'discharge-corrected.pdf',
        mime_type: 'application/pdf',
        file_size: SECOND.length,
        uploaded_by_name: 'Sarah Lindqvist',
      },
      { version: 1, file_name: 'discharge.pdf', file_size: FIRST.length, uploaded_by_name: 'Priya Patel' },
    ]);
    expect(await patel.documents.versions({ documentId: doc.id })).toEqual(versions);

    // Same document (id, title, kind, author, date), now describing version 2.
    const listed = (await patel.documents.forPatient({ patientId: demoPatient(41) })).filter((d) => d.title === 'Discharge summary');
    expect(listed).toEqual([{ ...doc, version: 2, file_name: 'discharge-corrected.pdf', file_size: SECOND.length }]);

    expect(await patel.documents.open({ documentId: doc.id })).toEqual({
      file_name: 'discharge-corrected.pdf',
      mime_type: 'application/pdf',
      version: 2,
      content: SECOND.toString('base64'),
    });
    expect((await patel.documents.open({ documentId: doc.id, version: 1 })).content).toBe(FIRST.toString('base64'));
    const { rows } = await app.db.query<{ version: string }>(
      `SELECT metadata ->> 'version' AS version FROM activity_logs WHERE activity_type = 'document.view' AND entity_id = $1 ORDER BY created_at`,
      [doc.id],
    );
    expect(rows.map((r) => r.version).sort()).toEqual(['1', '2']);
    // The change of version is in the document's audit trail, with the earlier file's checksum.
    const audit = await one<{ old_version: number; new_version: number }>(
      app.db,
      `SELECT (old_values ->> 'version')::int AS old_version, (new_values ->> 'version')::int AS new_version
       FROM audit_logs WHERE table_name = 'documents' AND record_id = $1 AND action = 'UPDATE'`,
      [doc.id],
    );
    expect(audit).toEqual({ old_version: 1, new_version: 2 });
  });

  it('shows the demo’s corrected discharge summary as version 2, filed by the nurse, with the ward’s first kept', async () => {
    const [summary] = await patel.documents.forPatient({ patientId: demoPatient(16) });
    expect(summary).toMatchObject({ title: "Discharge summary, St George's respiratory ward", version: 2 });
    const versions = await patel.documents.versions({ documentId: summary!.id });
    expect(versions.map((v) => [v.version, v.file_name, v.uploaded_by_name])).toEqual([
      [2, 'discharge-summary-corrected.pdf', 'Sarah Lindqvist'],
      [1, 'discharge-summary.pdf', 'Priya Patel'],
    ]);
    expect((await patel.documents.open({ documentId: summary!.id, version: 1 })).file_name).toBe('discharge-summary.pdf');
  });

  it('reads a new version’s type from its bytes: a JPEG named .pdf is a JPEG', async () => {
    const doc = await upload(patel, discharge(42));
    await patel.documents.uploadVersion({ documentId: doc.id, fileName: 'scan.pdf', content: JPEG.toString('base64') });
    const [newest] = await patel.documents.forPatient({ patientId: demoPatient(42) });
    expect(newest).toMatchObject({ id: doc.id, version: 2, mime_type: 'image/jpeg' });
  });

  it('refuses a version too large or of another kind beside the file, in the router and the database, and writes nothing', async () => {
    const doc = await upload(patel, discharge(43));
    const before = await written(doc.id);
    const tooLarge = await refusal(
      patel.documents.uploadVersion({
        documentId: doc.id,
        fileName: 'huge.pdf',
        content: Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x25).toString('base64'),
      }),
    );
    expect(tooLarge).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { content: expect.stringMatching(/at most 5 MB/) } });
    const gif = await refusal(
      patel.documents.uploadVersion({ documentId: doc.id, fileName: 'a.pdf', content: Buffer.from('GIF89a....').toString('base64') }),
    );
    expect(gif).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { content: expect.stringMatching(/^This file is not one ClinicDesk keeps/) },
    });
    // Typed by hand, past the router: the database reads the bytes itself.
    const typed = await app.typedBy(DEMO_USERS.doctor, 'demo', [
      `SELECT add_document_version('${doc.id}', 'a.gif', '\\x474946383961'::bytea)`,
    ]);
    const huge = await app.typedBy(DEMO_USERS.doctor, 'demo', [
      `SELECT add_document_version('${doc.id}', 'huge.pdf', '\\x255044462d'::bytea || convert_to(repeat('x', ${MAX_DOCUMENT_BYTES}), 'UTF8'))`,
    ]);
    expect([typed, huge]).toEqual([[{ refused: '23514' }], [{ refused: '23514' }]]);
    expect(await written(doc.id)).toEqual(before);
  });

  it('keeps versions from staff without the permission, in the router and in the database', async () => {
    const doc = await upload(patel, discharge(44));
    await patel.documents.uploadVersion({ documentId: doc.id, fileName: 'v2.pdf', content: SECOND.toString('base64') });
    expect(await refusal(billing.documents.versions({ documentId: doc.id }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    expect(await refusal(billing.documents.open({ documentId: doc.id, version: 1 }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    expect(
      await refusal(billing.documents.uploadVersion({ documentId: doc.id, fileName: 'x.pdf', content: FIRST.toString('base64') })),
    ).toMatchObject({ reason: 'NOT_PERMITTED' });
    const typed = await app.typedBy(DEMO_USERS.billing, 'demo', [
      `SELECT count(*)::int AS n FROM document_versions WHERE document_id = '${doc.id}'`,
      `SELECT * FROM read_document_file('${doc.id}', 1)`,
      `SELECT add_document_version('${doc.id}', 'x.pdf', '\\x255044462d'::bytea)`,
      `INSERT INTO document_versions (tenant_id, document_id, version, file_name, mime_type, file_size, uploaded_by)
       VALUES ('${DEMO_TENANT}', '${doc.id}', 9, 'x.pdf', 'application/pdf', 1, current_app_user_id())`,
    ]);
    expect(typed).toEqual([[{ n: 0 }], { refused: '42501' }, { refused: '42501' }, { refused: '42501' }]);
    // Even a doctor may not write versions past the function (or their bytes).
    const byHand = await app.typedBy(DEMO_USERS.doctor, 'demo', [
      `INSERT INTO document_versions (tenant_id, document_id, version, file_name, mime_type, file_size, uploaded_by)
       VALUES ('${DEMO_TENANT}', '${doc.id}', 9, 'x.pdf', 'application/pdf', 1, current_app_user_id())`,
      `UPDATE document_versions SET file_name = 'renamed.pdf' WHERE document_id = '${doc.id}'`,
    ]);
    expect(byHand).toEqual([{ refused: '42501' }, { refused: '42501' }]);
    expect(await written(doc.id)).toEqual([2, 2, 2]);
  });

  it('hides a confidential document’s versions from a doctor without records.confidential', async () => {
    const doc = await upload(patel, discharge(45, { title: 'Genitourinary clinic letter', isConfidential: true }));
    await patel.documents.uploadVersion({ documentId: doc.id, fileName: 'gum-v2.pdf', content: SECOND.toString('base64') });
    expect(await okafor.documents.versions({ documentId: doc.id })).toEqual([]);
    expect(await refusal(okafor.documents.open({ documentId: doc.id, version: 1 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refusal(okafor.documents.uploadVersion({ documentId: doc.id, fileName: 'mine.pdf', content: FIRST.toString('base64') })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect((await admin.documents.versions({ documentId: doc.id })).map((v) => v.version)).toEqual([2, 1]);
    expect((await admin.documents.open({ documentId: doc.id, version: 1 })).content).toBe(FIRST.toString('base64'));

    const typed = await app.typedBy(DEMO_USERS.secondDoctor, 'demo', [
      `SELECT count(*)::int AS n FROM document_versions WHERE document_id = '${doc.id}'`,
      `SELECT count(*)::int AS n FROM read_document_file('${doc.id}', 1)`,
      `SELECT add_document_version('${doc.id}', 'mine.pdf', '\\x255044462d'::bytea)`,
      `SELECT count(*) FROM document_files WHERE document_id = '${doc.id}'`,
    ]);
    expect(typed).toEqual([[{ n: 0 }], [{ n: 0 }], { refused: 'P0002' }, { refused: '42501' }]);
    expect(await written(doc.id)).toEqual([2, 2, 2]);
  });

  it('shows another clinic no versions, and lets it neither read nor add one', async () => {
    const doc = await upload(patel, discharge(46));
    expect(await otherDoctor.documents.versions({ documentId: doc.id })).toEqual([]);
    expect(await refusal(otherDoctor.documents.open({ documentId: doc.id, version: 1 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refusal(
        otherDoctor.documents.uploadVersion({ documentId: doc.id, fileName: 'planted.pdf', content: FIRST.toString('base64') }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const typed = await app.typedBy('doctor@northside.test', 'northside', [
      `SELECT count(*)::int AS n FROM document_versions WHERE document_id = '${doc.id}'`,
      `SELECT count(*)::int AS n FROM read_document_file('${doc.id}', 1)`,
      `SELECT add_document_version('${doc.id}', 'planted.pdf', '\\x255044462d'::bytea)`,
    ]);
    expect(typed).toEqual([[{ n: 0 }], [{ n: 0 }], { refused: 'P0002' }]);
    expect(await written(doc.id)).toEqual([1, 1, 1]);
  });

  it('numbers two versions uploaded at the same moment from two connections one after the other', async () => {
    const doc = await upload(patel, discharge(47));
    const nurseId = '00000000-0000-4000-8000-000000000104';
    const sql = staffSql(app);
    try {
      const doctor = { tenantId: DEMO_TENANT, userId: DR_PATEL_ID, clinicCode: 'demo', email: DEMO_USERS.doctor };
      const theNurse = { tenantId: DEMO_TENANT, userId: nurseId, clinicCode: 'demo', email: DEMO_USERS.nurse };
      const add = `SELECT add_document_version($1, 'v.pdf', decode($2, 'base64'))`;
      const outcomes = await Promise.all([
        sqlState(sql.run(doctor, add, [doc.id, SECOND.toString('base64')])),
        sqlState(sql.run(theNurse, add, [doc.id, pdf('third').toString('base64')])),
      ]);
      expect(outcomes).toEqual(['accepted', 'accepted']);
    } finally {
      await sql.close();
    }
    expect((await patel.documents.versions({ documentId: doc.id })).map((v) => v.version)).toEqual([3, 2, 1]);
    expect(await written(doc.id)).toEqual([3, 3, 3]);
  });
});
