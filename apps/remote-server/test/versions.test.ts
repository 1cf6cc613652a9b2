// Versioned documents, `[tables, values, {version}]`, against both stores:
// files (the version kept as the file's third element) and PostgreSQL (kept
// inside the JSON), on a real server on 127.0.0.1 and a private cluster.
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import pg from 'pg';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {type PrivatePostgres, startPrivatePostgres} from '../src/testing/privatePostgres';
import {
  freshDatabase,
  openEvents,
  patchJson,
  postJson,
  type Running,
  send,
  startServer,
} from './helpers';

let postgres: PrivatePostgres;
beforeAll(async () => {
  postgres = await startPrivatePostgres();
});
afterAll(async () => {
  await postgres?.destroy();
});

const until = async (check: () => boolean, what: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const PETS = {pets: {fido: {species: 'dog', legs: 4}}};
const V1 = [PETS, {employees: 3}];
const V2 = [{animals: {fido: {species: 'dog', legs: 4}}}, {employees: 3}, {version: 2}];

describe.each(['files', 'postgres'] as const)('versioned documents (%s)', (kind) => {
  let running: Running;
  let doc: string;
  let databaseUrl: string | undefined;
  const streams: ReturnType<typeof openEvents>[] = [];
  beforeEach(async () => {
    databaseUrl = kind === 'postgres' ? await freshDatabase(postgres.url) : undefined;
    running = await startServer(databaseUrl === undefined ? {} : {databaseUrl});
    doc = `${running.url}/stores/pets`;
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await running.destroy();
    expect(running.errors).toEqual([]);
  });

  it('serves a POSTed [tables, values, {version}] back byte for byte, also after a restart', async () => {
    const body = JSON.stringify(V2);
    const posted = await postJson(doc, body);
    expect(posted.status).toBe(204);
    const got = await send(doc);
    expect(got.text).toBe(body);
    expect(got.headers.etag).toBe(posted.headers.etag);
    await running.restart();
    doc = `${running.url}/stores/pets`;
    const again = await send(doc);
    expect(again.text).toBe(body);
    expect(again.headers.etag).toBe(posted.headers.etag);
  });

  it('keeps unversioned documents exactly as before; {version: 0} is stored as none', async () => {
    const body = JSON.stringify(V1);
    const plain = await postJson(doc, body);
    expect((await send(doc)).text).toBe(body);
    const zero = await postJson(`${running.url}/stores/zero`, [...V1, {version: 0}]);
    expect(zero.status).toBe(204);
    expect((await send(`${running.url}/stores/zero`)).text).toBe(body);
    expect(zero.headers.etag).toBe(plain.headers.etag);
  });

  it('gives the same tables at another version another ETag (a version-only change is a write)', async () => {
    const v1 = await postJson(doc, [{}, {a: 1}, {version: 1}]);
    const v2 = await postJson(doc, [{}, {a: 1}, {version: 2}], {'if-match': v1.headers.etag!});
    expect(v2.status).toBe(204);
    expect(v2.headers.etag).not.toBe(v1.headers.etag);
    expect(JSON.parse((await send(doc)).text)).toEqual([{}, {a: 1}, {version: 2}]);
    // The client that wrote version 1 holds a stale ETag now: its writes are refused.
    const stale = await patchJson(doc, [{}, {a: [2]}, 1], {'if-match': v1.headers.etag!});
    expect(stale.status).toBe(412);
    const staleFull = await postJson(doc, [{}, {a: 2}, {version: 1}], {
      'if-match': v1.headers.etag!,
    });
    expect(staleFull.status).toBe(412);
    expect(JSON.parse((await send(doc)).text)).toEqual([{}, {a: 1}, {version: 2}]);
  });

  it.each([
    ['version -1', '{"version":-1}'],
    ['version "2" (a string)', '{"version":"2"}'],
    ['an empty object', '{}'],
    ['version 1.5', '{"version":1.5}'],
    ['version 1e300 (not a safe integer)', '{"version":1e300}'],
    ['null', 'null'],
    ['a number', '2'],
    ['an array', '[2]'],
  ])(
    'refuses a POSTed third element that is %s with 400, the document unchanged',
    async (_name, meta) => {
      const before = await postJson(doc, V2);
      const answer = await postJson(doc, `[{},{},${meta}]`);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error).toMatch(/content\[2\]/);
      const got = await send(doc);
      expect(got.headers.etag).toBe(before.headers.etag);
      expect(JSON.parse(got.text)).toEqual(V2);
    },
  );

  it('keeps only {version} of the third element (other keys are not part of the format)', async () => {
    expect((await postJson(doc, '[{},{"a":1},{"version":2,"note":"x"}]')).status).toBe(204);
    expect((await send(doc)).text).toBe('[{},{"a":1},{"version":2}]');
  });

  it('refuses four elements, and [tables] alone, as before', async () => {
    expect((await postJson(doc, [{}, {}, {version: 1}, {}])).status).toBe(400);
    expect((await postJson(doc, [{}])).status).toBe(400);
    expect((await send(doc)).status).toBe(404);
  });

  it('a PATCH of a versioned document merges into its tables and values and keeps its {version}', async () => {
    const posted = await postJson(doc, V2);
    const patched = await patchJson(doc, [{animals: {rex: {legs: [3]}}}, {employees: []}, 1], {
      'if-match': posted.headers.etag!,
    });
    expect(patched.status).toBe(204);
    const expected = [
      {animals: {fido: {species: 'dog', legs: 4}, rex: {legs: 3}}},
      {},
      {version: 2},
    ];
    const got = await send(doc);
    expect(JSON.parse(got.text)).toEqual(expected);
    expect(got.headers.etag).toBe(patched.headers.etag);
    // The same ETag as a POST of that document: ETags are of the document, version included.
    const copy = await postJson(`${running.url}/stores/copy`, expected);
    expect(copy.headers.etag).toBe(patched.headers.etag);
    await running.restart();
    expect(JSON.parse((await send(`${running.url}/stores/pets`)).text)).toEqual(expected);
  });

  it('streams a version-changing POST as a new ETag without changes (clients re-read), a PATCH with them', async () => {
    const first = await postJson(doc, V1);
    const stream = openEvents(`${doc}/events`);
    streams.push(stream);
    await stream.ready;
    await until(() => stream.events.length === 1, 'the first event');
    const migrated = await postJson(doc, V2, {'if-match': first.headers.etag!});
    await until(() => stream.events.length === 2, 'the POST event');
    expect(stream.events[1]).toEqual({
      etag: migrated.headers.etag,
      previous: first.headers.etag,
    });
    const patched = await patchJson(doc, [{}, {employees: [4]}, 1], {
      'if-match': migrated.headers.etag!,
    });
    await until(() => stream.events.length === 3, 'the PATCH event');
    // Changes of a PATCH are relative to `previous`, which holds the same version.
    expect(stream.events[2]).toEqual({
      etag: patched.headers.etag,
      previous: migrated.headers.etag,
      changes: [{}, {employees: [4]}, 1],
    });
    expect(JSON.parse((await send(doc)).text)[2]).toEqual({version: 2});
  });

  it('goes from one version to another and back, in one open document', async () => {
    const v2 = await postJson(doc, V2);
    const v3 = await postJson(doc, [{}, {}, {version: 3}], {'if-match': v2.headers.etag!});
    const v0 = await postJson(doc, V1, {'if-match': v3.headers.etag!});
    expect(v0.status).toBe(204);
    expect((await send(doc)).text).toBe(JSON.stringify(V1));
    await running.restart();
    expect((await send(`${running.url}/stores/pets`)).text).toBe(JSON.stringify(V1));
  });

  it('lets one of many racing POSTs of different versions with the same If-Match through, whole', async () => {
    const base = await postJson(doc, V1);
    const answers = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((version) =>
        postJson(doc, [{t: {r: {version}}}, {}, {version}], {'if-match': base.headers.etag!}),
      ),
    );
    const won = answers.filter((answer) => answer.status === 204);
    expect(won).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 412)).toHaveLength(5);
    const [tables, , meta] = JSON.parse((await send(doc)).text);
    expect(meta.version).toBe(tables.t.r.version);
    await running.restart();
    const [tablesAfter, , metaAfter] = JSON.parse((await send(`${running.url}/stores/pets`)).text);
    expect(metaAfter.version).toBe(tablesAfter.t.r.version);
  });

  it('keeps the last of many unconditional POSTs of different versions, on disk too', async () => {
    const filler = {f: Object.fromEntries(Array.from({length: 2_000}, (_, n) => [`r${n}`, {n}]))};
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(
        Array.from({length: 20}, (_, index) => (index * 7 + round) % 5).map((version) =>
          postJson(doc, [{...filler, t: {r: {version, round}}}, {}, {version}]),
        ),
      );
      expect(answers.every((answer) => answer.status === 204)).toBe(true);
    }
    const served = (await send(doc)).text;
    const [tables, , meta = {version: 0}] = JSON.parse(served);
    expect(meta.version).toBe(tables.t.r.version);
    await running.restart();
    expect((await send(`${running.url}/stores/pets`)).text).toBe(served);
  });

  if (kind === 'files') {
    it('keeps the version in the file itself, as its third element', async () => {
      await postJson(doc, V2);
      await running.restart(); // flushed and closed
      const text = await readFile(join(running.dataDir, 'pets.json'), 'utf8');
      expect(JSON.parse(text)).toEqual(V2);
    });

    it('a file whose version is garbage is not served (500) and stays as it was', async () => {
      for (const [name, meta] of [
        ['minus', '{"version":-1}'],
        ['string', '{"version":"2"}'],
        ['empty', '{}'],
      ] as const) {
        const path = join(running.dataDir, `${name}.json`);
        const text = `[{},{"a":1},${meta}]`;
        await writeFile(path, text);
        const got = await send(`${running.url}/stores/${name}`);
        expect(got.status).toBe(500);
        expect(await readFile(path, 'utf8')).toBe(text);
      }
      expect(running.errors.length).toBeGreaterThan(0);
      running.errors.length = 0;
    });
  }

  if (kind === 'postgres') {
    it('works on a table made before versions existed, with its old rows (no new column)', async () => {
      await running.destroy();
      const client = new pg.Client({connectionString: databaseUrl});
      await client.connect();
      // The table exactly as the server created it before versions.
      await client.query(
        `CREATE TABLE x_store_documents (
           id text PRIMARY KEY, content text NOT NULL, etag text NOT NULL, version bigint NOT NULL)`,
      );
      await client.query(
        `INSERT INTO x_store_documents (id, content, etag, version) VALUES ('old', $1, $2, 7)`,
        [JSON.stringify(V1), '"old-etag"'],
      );
      running = await startServer({databaseUrl});
      const old = `${running.url}/stores/old`;
      expect((await send(old)).text).toBe(JSON.stringify(V1));
      const patched = await patchJson(old, [{}, {employees: [4]}, 1], {'if-match': '"old-etag"'});
      expect(patched.status).toBe(204);
      const migrated = await postJson(old, [PETS, {employees: 4}, {version: 2}], {
        'if-match': patched.headers.etag!,
      });
      expect(migrated.status).toBe(204);
      const {rows} = await client.query(
        `SELECT content, version FROM x_store_documents WHERE id = 'old'`,
      );
      const columns = await client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'x_store_documents' ORDER BY column_name`,
      );
      await client.end();
      expect(rows).toEqual([
        {content: JSON.stringify([PETS, {employees: 4}, {version: 2}]), version: '9'},
      ]);
      expect(columns.rows.map((row) => row.column_name)).toEqual([
        'content',
        'etag',
        'id',
        'version',
      ]);
    });

    it('a stored version that is garbage: a PATCH is 500 and the row stays as it was', async () => {
      expect((await send(doc)).status).toBe(404); // creates the table
      const client = new pg.Client({connectionString: databaseUrl});
      await client.connect();
      const text = '[{},{"a":1},{"version":"2"}]';
      await client.query(
        `INSERT INTO x_store_documents (id, content, etag, version) VALUES ('bad', $1, '"bad"', 1)`,
        [text],
      );
      const patched = await patchJson(`${running.url}/stores/bad`, [{}, {a: [2]}, 1], {
        'if-match': '"bad"',
      });
      expect(patched.status).toBe(500);
      const {rows} = await client.query(`SELECT content FROM x_store_documents WHERE id = 'bad'`);
      await client.end();
      expect(rows).toEqual([{content: text}]);
      expect(running.errors.length).toBeGreaterThan(0);
      running.errors.length = 0;
    });
  }
});
