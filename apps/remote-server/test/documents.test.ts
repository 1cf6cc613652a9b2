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

describe('the file store cache', () => {
  let dataDir: string;
  let documents: Documents;
  const errors: unknown[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'remote-server-cache-'));
  });
  afterEach(async () => {
    await documents.close();
    await rm(dataDir, {recursive: true, force: true});
    expect(errors).toEqual([]);
  });

  it('keeps at most maxDocuments open, and reads the others back from disk', async () => {
    documents = createDocuments(dataDir, (error) => errors.push(error), {maxDocuments: 10});
    for (let index = 0; index < 50; index++) {
      await documents.write(`doc${index}`, {content: [{}, {index}]}, () => true);
      expect(documents.openCount()).toBeLessThanOrEqual(11);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(documents.openCount()).toBeLessThanOrEqual(10);
    const read = await Promise.all(
      Array.from({length: 50}, (_, index) => documents.read(`doc${index}`)),
    );
    expect(read.map((version) => version?.json)).toEqual(
      Array.from({length: 50}, (_, index) => `[{},{"index":${index}}]`),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(documents.openCount()).toBeLessThanOrEqual(10);
  });

  it('keeps at most maxBytes of JSON open (a larger document is closed after use)', async () => {
    documents = createDocuments(dataDir, (error) => errors.push(error), {maxBytes: 1_000});
    await documents.write('big', {content: [{}, {text: 'x'.repeat(2_000)}]}, () => true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(documents.openCount()).toBe(0);
    for (let index = 0; index < 20; index++) {
      await documents.write(`small${index}`, {content: [{}, {text: 'y'.repeat(90)}]}, () => true);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(documents.openCount()).toBeLessThanOrEqual(9);
    expect((await documents.read('big'))?.json.length).toBeGreaterThan(2_000);
  });
});
