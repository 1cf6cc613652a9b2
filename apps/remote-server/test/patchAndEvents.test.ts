// PATCH and the change stream, against both stores: files (one instance) and
// PostgreSQL (a private cluster started by this file, a fresh database per test).
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

const GRID = [
  {grid: {r1: {a: 1, b: 'x'}, r2: {a: 2}}, other: {o: {n: null}}},
  {theme: 'dark', n: 1},
];

const until = async (check: () => boolean, what: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe.each(['files', 'postgres'] as const)('PATCH and events (%s)', (kind) => {
  let running: Running;
  let doc: string;
  const streams: ReturnType<typeof openEvents>[] = [];
  beforeEach(async () => {
    running = await startServer(
      kind === 'postgres' ? {databaseUrl: await freshDatabase(postgres.url)} : {},
    );
    doc = `${running.url}/stores/grid`;
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await running.destroy();
    expect(running.errors).toEqual([]);
  });

  const created = async () => {
    const answer = await postJson(doc, GRID);
    expect(answer.status).toBe(204);
    return answer.headers.etag!;
  };

  it('advertises PATCH and the change stream on GET answers, also 404 and 304', async () => {
    const missing = await send(doc);
    expect(missing.status).toBe(404);
    expect(missing.headers['accept-patch']).toBe('application/x-store-changes+json');
    expect(missing.headers.link).toBe(
      '</stores/grid/events>; rel="alternate"; type="text/event-stream"',
    );
    const etag = await created();
    const notModified = await send(doc, {headers: {'if-none-match': etag}});
    expect(notModified.status).toBe(304);
    expect(notModified.headers['accept-patch']).toBe('application/x-store-changes+json');
    expect((await send(doc)).headers.link).toContain('/stores/grid/events');
  });

  it('applies sets and deletes of cells, rows, tables and values atomically, answers the new ETag', async () => {
    const etag = await created();
    const patched = await patchJson(
      doc,
      '[{"grid":{"r1":{"a":[],"c":[null]},"r2":null,"r3":{"z":[true]}},"other":null},{"theme":[],"m":[2.5]},1]',
      {'if-match': etag},
    );
    expect(patched.status).toBe(204);
    const got = await send(doc);
    expect(JSON.parse(got.text)).toEqual([
      {grid: {r1: {b: 'x', c: null}, r3: {z: true}}},
      {n: 1, m: 2.5},
    ]);
    expect(patched.headers.etag).toBe(got.headers.etag);
    expect(patched.headers.etag).not.toBe(etag);
    // The same as a POST of that content: ETags are of content, however it came.
    const posted = await postJson(`${running.url}/stores/copy`, JSON.parse(got.text));
    expect(posted.headers.etag).toBe(patched.headers.etag);
  });

  it('keeps the ETag for a PATCH that changes nothing', async () => {
    const etag = await created();
    const same = await patchJson(doc, [{grid: {r1: {a: [1]}}}, {}, 1], {'if-match': etag});
    expect(same.status).toBe(204);
    expect(same.headers.etag).toBe(etag);
  });

  it('answers 428 to a PATCH without If-Match, 412 to a stale one or a missing document', async () => {
    const etag = await created();
    const unconditional = await patchJson(doc, [{}, {theme: ['light']}, 1]);
    expect(unconditional.status).toBe(428);
    expect(JSON.parse(unconditional.text).error).toMatch(/If-Match/);
    const second = await patchJson(doc, [{}, {theme: ['light']}, 1], {'if-match': etag});
    expect(second.status).toBe(204);
    const stale = await patchJson(doc, [{}, {theme: ['blue']}, 1], {'if-match': etag});
    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBe(second.headers.etag);
    const missing = await patchJson(`${running.url}/stores/nothing`, [{}, {a: [1]}, 1], {
      'if-match': '*',
    });
    expect(missing.status).toBe(412);
    expect((await send(`${running.url}/stores/nothing`)).status).toBe(404);
    expect(JSON.parse((await send(doc)).text)[1].theme).toBe('light');
  });

  it.each([
    ['not JSON', '[{"grid":'],
    ['content instead of changes', JSON.stringify(GRID)],
    ['an object', '{"grid":{}}'],
    ['a wrong marker', '[{},{},2]'],
    ['a cell that is not wrapped', '[{"grid":{"r1":{"a":1}}},{},1]'],
    ['a cell wrapped twice over', '[{"grid":{"r1":{"a":[1,2]}}},{},1]'],
    ['a deleted cell as {} (not [])', '[{"grid":{"r1":{"a":{}}}},{},1]'],
    ['a value that is not wrapped', '[{},{"theme":"light"},1]'],
    ['a JSON cell holding a non-JSON number', '[{"grid":{"r1":{"a":[{"x":1e999}]}}},{},1]'],
    ['a row that is a number', '[{"grid":{"r1":5}},{},1]'],
    ['an infinite number', '[{},{"n":[1e999]},1]'],
    ['__proto__ as a table', '[{"__proto__":{"r":{"polluted":true}}},{},1]'],
    ['__proto__ as a row', '[{"grid":{"__proto__":{"polluted":true}}},{},1]'],
    ['__proto__ as a cell', '[{"grid":{"r1":{"__proto__":[1]}}},{},1]'],
    ['__proto__ as a value', '[{},{"__proto__":[{"polluted":true}]},1]'],
    [
      '__proto__ inside a JSON cell',
      '[{"grid":{"r1":{"a":[{"x":{"__proto__":{"polluted":true}}}]}}},{},1]',
    ],
  ])('refuses a PATCH body that is %s with 400 and changes nothing', async (_name, body) => {
    const etag = await created();
    const answer = await patchJson(doc, body, {'if-match': etag});
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toEqual(expect.any(String));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const got = await send(doc);
    expect(got.headers.etag).toBe(etag);
    expect(JSON.parse(got.text)).toEqual(GRID);
  });

  it('refuses a PATCH over the body limit (413) and of another type (415)', async () => {
    await running.destroy();
    running = await startServer({
      bodyLimitBytes: 1_000,
      ...(kind === 'postgres' ? {databaseUrl: await freshDatabase(postgres.url)} : {}),
    });
    doc = `${running.url}/stores/grid`;
    const etag = await created();
    const big = await patchJson(doc, [{}, {big: ['x'.repeat(2_000)]}, 1], {'if-match': etag});
    expect(big.status).toBe(413);
    const wrongType = await send(doc, {
      method: 'PATCH',
      headers: {'content-type': 'application/json', 'if-match': etag},
      body: '[{},{"a":[1]},1]',
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers['accept-patch']).toBe('application/x-store-changes+json');
    expect((await send(doc)).headers.etag).toBe(etag);
  });

  it('lets exactly one of many racing PATCHes with the same If-Match through', async () => {
    const etag = await created();
    const answers = await Promise.all(
      Array.from({length: 20}, (_, index) =>
        patchJson(doc, [{}, {winner: [index]}, 1], {'if-match': etag}),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(19);
  });

  it('streams the current version, then every write with its changes', async () => {
    const stream = openEvents(`${doc}/events`);
    streams.push(stream);
    await stream.ready;
    expect(stream.status()).toBe(200);
    await until(() => stream.events.length === 1, 'the first event');
    expect(stream.events[0]).toEqual({etag: null});
    const etag = await created();
    await until(() => stream.events.length === 2, 'the POST event');
    expect(stream.events[1]).toEqual({etag, previous: null});
    const patched = await patchJson(doc, [{grid: {r2: null}}, {theme: []}, 1], {'if-match': etag});
    await until(() => stream.events.length === 3, 'the PATCH event');
    expect(stream.events[2]).toEqual({
      etag: patched.headers.etag,
      previous: etag,
      changes: [{grid: {r2: null}}, {theme: []}, 1],
    });
    // A reconnecting client learns the current version first.
    const later = openEvents(`${doc}/events`);
    streams.push(later);
    await until(() => later.events.length === 1, 'the first event of a new stream');
    expect(later.events[0]).toEqual({etag: patched.headers.etag});
  });

  it('refuses an event stream without the token (401), for a bad id (400), and other methods (405)', async () => {
    await running.destroy();
    running = await startServer({
      token: 't0ken',
      ...(kind === 'postgres' ? {databaseUrl: await freshDatabase(postgres.url)} : {}),
    });
    doc = `${running.url}/stores/grid`;
    expect((await send(`${doc}/events`)).status).toBe(401);
    expect((await send(`${doc}/events`, {headers: {authorization: 'Bearer wrong'}})).status).toBe(
      401,
    );
    expect(
      (await send(`${running.url}/stores/a.b/events`, {headers: {authorization: 'Bearer t0ken'}}))
        .status,
    ).toBe(400);
    const post = await send(`${doc}/events`, {
      method: 'POST',
      headers: {authorization: 'Bearer t0ken'},
    });
    expect(post.status).toBe(405);
    const stream = openEvents(`${doc}/events`, {authorization: 'Bearer t0ken'});
    streams.push(stream);
    await stream.ready;
    expect(stream.status()).toBe(200);
  });

  it('streams big changes without them (PostgreSQL notifications are limited) or with them (files)', async () => {
    const etag = await created();
    const stream = openEvents(`${doc}/events`);
    streams.push(stream);
    await until(() => stream.events.length === 1, 'the first event');
    const big = [{}, {text: ['x'.repeat(10_000)]}, 1];
    const patched = await patchJson(doc, big, {'if-match': etag});
    expect(patched.status).toBe(204);
    await until(() => stream.events.length === 2, 'the PATCH event');
    expect(stream.events[1]).toEqual({
      etag: patched.headers.etag,
      previous: etag,
      ...(kind === 'files' ? {changes: big} : {}),
    });
  });

  it('answers 503 to event streams beyond maxEventStreams, and takes new ones once some close', async () => {
    await running.destroy();
    running = await startServer({
      maxEventStreams: 2,
      ...(kind === 'postgres' ? {databaseUrl: await freshDatabase(postgres.url)} : {}),
    });
    doc = `${running.url}/stores/grid`;
    const first = openEvents(`${doc}/events`);
    const second = openEvents(`${doc}/events`);
    streams.push(first, second);
    await until(() => first.events.length === 1 && second.events.length === 1, 'two streams');
    const refused = await send(`${doc}/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    first.close();
    const third = openEvents(`${doc}/events`);
    streams.push(third);
    await until(() => third.events.length === 1 || third.status() === 503, 'a third stream');
    // The first one's close may take a moment to reach the server.
    if (third.status() === 503) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const fourth = openEvents(`${doc}/events`);
      streams.push(fourth);
      await until(() => fourth.events.length === 1, 'a stream after one closed');
    }
  });

  it('ends event streams when the server closes (close() does not wait for them)', async () => {
    const stream = openEvents(`${doc}/events`);
    streams.push(stream);
    await until(() => stream.events.length === 1, 'the first event');
    await running.server.close();
    await until(() => stream.ended(), 'the stream to end');
  });
});
