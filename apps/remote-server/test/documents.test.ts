import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createDocuments, type Documents} from '../src/documents';

describe('documents', () => {
  let dataDir: string;
  let documents: Documents;
  const errors: unknown[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'remote-server-documents-'));
    documents = createDocuments(dataDir, (error) => errors.push(error));
  });
  afterEach(async () => {
    await documents.close();
    await rm(dataDir, {recursive: true, force: true});
    expect(errors).toEqual([]);
  });

  it('does not keep documents that were only looked up', async () => {
    const ids = Array.from({length: 100}, (_, index) => `missing${index}`);
    expect(await Promise.all(ids.map((id) => documents.read(id)))).toEqual(
      ids.map(() => undefined),
    );
    expect(documents.openCount()).toBe(0);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('keeps a document written while it was being looked up', async () => {
    const [read, written] = await Promise.all([
      documents.read('doc'),
      documents.write('doc', {content: [{}, {a: 1}]}, () => true),
      documents.read('other'),
    ]);
    expect(read === undefined || read.etag === written?.version.etag).toBe(true);
    expect(documents.openCount()).toBe(1);
    expect((await documents.read('doc'))?.json).toBe('[{},{"a":1}]');
    expect(await readdir(dataDir)).toEqual(['doc.json']);
  });

  it('leaves the document alone when the check refuses the write', async () => {
    await documents.write('doc', {content: [{}, {a: 1}]}, () => true);
    expect(await documents.write('doc', {content: [{}, {a: 2}]}, () => false)).toBeUndefined();
    expect((await documents.read('doc'))?.json).toBe('[{},{"a":1}]');
  });
});
