import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {postJson, type Running, send, startServer} from './helpers';

const TODOS = [{todos: {a: {title: 'milk', done: false}}}, {theme: 'dark'}];

describe('protocol', () => {
  let running: Running;
  let doc: string;
  beforeEach(async () => {
    running = await startServer();
    doc = `${running.url}/stores/todos`;
  });
  afterEach(async () => {
    await running.destroy();
    expect(running.errors).toEqual([]);
  });

  it('answers 404 for a document never written', async () => {
    expect((await send(doc)).status).toBe(404);
    expect((await send(doc, {method: 'HEAD'})).status).toBe(404);
  });

  it('stores a POSTed document and serves it with its ETag (GET and HEAD)', async () => {
    const saved = await postJson(doc, TODOS);
    expect(saved.status).toBe(204);
    expect(saved.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const got = await send(doc);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(got.text)).toEqual(TODOS);
    expect(got.headers.etag).toBe(saved.headers.etag);
    const head = await send(doc, {method: 'HEAD'});
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.etag).toBe(saved.headers.etag);
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(got.text));
  });

  it('keeps the ETag when the content is the same, whatever its key order', async () => {
    const first = await postJson(doc, TODOS);
    const reordered = await postJson(doc, [
      {todos: {a: {done: false, title: 'milk'}}},
      {theme: 'dark'},
    ]);
    expect(reordered.status).toBe(204);
    expect(reordered.headers.etag).toBe(first.headers.etag);
    const changed = await postJson(doc, [
      {todos: {a: {title: 'milk', done: true}}},
      {theme: 'dark'},
    ]);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    const back = await postJson(doc, TODOS);
    expect(back.headers.etag).toBe(first.headers.etag);
  });

  it('answers 304 to If-None-Match with the current ETag, 200 to a stale one', async () => {
    const {etag} = (await postJson(doc, TODOS)).headers;
    const notModified = await send(doc, {headers: {'if-none-match': etag!}});
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect((await send(doc, {headers: {'if-none-match': `W/${etag}`}})).status).toBe(304);
    expect((await send(doc, {headers: {'if-none-match': '"stale", *'}})).status).toBe(304);
    const stale = await send(doc, {headers: {'if-none-match': '"stale"'}});
    expect(stale.status).toBe(200);
    expect(JSON.parse(stale.text)).toEqual(TODOS);
  });

  it('refuses a POST whose If-Match is stale with 412 and keeps the document', async () => {
    const first = await postJson(doc, TODOS);
    const second = await postJson(doc, [{}, {theme: 'light'}], {'if-match': first.headers.etag!});
    expect(second.status).toBe(204);
    const refused = await postJson(doc, [{}, {theme: 'blue'}], {'if-match': first.headers.etag!});
    expect(refused.status).toBe(412);
    expect(refused.headers.etag).toBe(second.headers.etag);
    expect(JSON.parse((await send(doc)).text)).toEqual([{}, {theme: 'light'}]);
    // A weak tag never passes If-Match (strong comparison).
    const weak = await postJson(doc, [{}, {}], {'if-match': `W/${second.headers.etag}`});
    expect(weak.status).toBe(412);
    expect((await postJson(doc, [{}, {}], {'if-match': '*'})).status).toBe(204);
  });

  it('If-Match on a missing document is 412; If-None-Match: * creates only once', async () => {
    expect((await postJson(doc, TODOS, {'if-match': '*'})).status).toBe(412);
    expect((await send(doc)).status).toBe(404);
    expect((await postJson(doc, TODOS, {'if-none-match': '*'})).status).toBe(204);
    expect((await postJson(doc, [{}, {}], {'if-none-match': '*'})).status).toBe(412);
    expect(JSON.parse((await send(doc)).text)).toEqual(TODOS);
  });

  it('answers GET with If-Match: 412 when stale', async () => {
    const {etag} = (await postJson(doc, TODOS)).headers;
    expect((await send(doc, {headers: {'if-match': '"other"'}})).status).toBe(412);
    expect((await send(doc, {headers: {'if-match': etag!}})).status).toBe(200);
  });

  it('answers a CORS preflight and exposes the ETag', async () => {
    const preflight = await send(doc, {
      method: 'OPTIONS',
      headers: {origin: 'https://app.example', 'access-control-request-method': 'POST'},
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('If-Match');
    expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
    const saved = await postJson(doc, TODOS);
    expect(saved.headers['access-control-expose-headers']).toBe('ETag, Accept-Patch, Link');
  });

  it('answers 405, 404 and 415 for what it does not do', async () => {
    const put = await send(doc, {method: 'PUT', body: '[{},{}]'});
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD, POST, PATCH, OPTIONS');
    expect((await send(doc, {method: 'DELETE'})).status).toBe(405);
    expect((await send(`${running.url}/elsewhere`)).status).toBe(404);
    const wrongType = await send(doc, {
      method: 'POST',
      headers: {'content-type': 'text/plain'},
      body: JSON.stringify(TODOS),
    });
    expect(wrongType.status).toBe(415);
    expect((await send(doc)).status).toBe(404);
  });

  it('keeps every document across a restart, ETags included', async () => {
    const saved = await postJson(doc, TODOS);
    await postJson(`${running.url}/stores/other`, [{}, {n: 1}]);
    await running.restart();
    const got = await send(`${running.url}/stores/todos`);
    expect(JSON.parse(got.text)).toEqual(TODOS);
    expect(got.headers.etag).toBe(saved.headers.etag);
    expect(JSON.parse((await send(`${running.url}/stores/other`)).text)).toEqual([{}, {n: 1}]);
  });

  it('has the document on disk once the POST is answered', async () => {
    await postJson(doc, TODOS);
    expect(JSON.parse(await readFile(join(running.dataDir, 'todos.json'), 'utf8'))).toEqual(TODOS);
  });

  it('keeps an empty document apart from a missing one', async () => {
    expect((await postJson(doc, [{}, {}])).status).toBe(204);
    await running.restart();
    const got = await send(`${running.url}/stores/todos`);
    expect(got.status).toBe(200);
    expect(JSON.parse(got.text)).toEqual([{}, {}]);
  });
});
