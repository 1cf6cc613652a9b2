import {readdir} from 'node:fs/promises';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {postJson, type Running, send, startServer} from './helpers';

const GOOD = [{pets: {fido: {species: 'dog'}}}, {open: true}];

describe('hostile input', () => {
  let running: Running;
  let doc: string;
  let before: {text: string; etag: string | undefined};
  beforeEach(async () => {
    running = await startServer({bodyLimitBytes: 64 * 1024});
    doc = `${running.url}/stores/pets`;
    await postJson(doc, GOOD);
    const got = await send(doc);
    before = {text: got.text, etag: got.headers.etag};
  });
  afterEach(async () => {
    await running.destroy();
  });

  const expectUnchanged = async () => {
    const got = await send(doc);
    expect(got.text).toBe(before.text);
    expect(got.headers.etag).toBe(before.etag);
  };

  it.each([
    '/stores/..',
    '/stores/../pets',
    '/stores/..%2F..%2Fetc%2Fpasswd',
    '/stores/%2e%2e',
    '/stores/a%00b',
    '/stores/a/b',
    '/stores/.hidden',
    '/stores/pets.json',
    '/stores/',
    `/stores/${'a'.repeat(129)}`,
    '/stores/%70ets',
  ])('refuses the id in %s with 400 and writes no file', async (path) => {
    const url = `${running.url}${path}`;
    expect((await postJson(url, [{}, {hacked: true}])).status).toBe(400);
    expect((await send(url)).status).toBe(400);
    expect(await readdir(running.root)).toEqual(['data']);
    expect(await readdir(running.dataDir)).toEqual(['pets.json']);
    await expectUnchanged();
  });

  it('refuses a 10 MB body with 413, with or without Content-Length', async () => {
    const big = `[{"t":{"r":{"c":"${'x'.repeat(10 * 1024 * 1024)}"}}},{}]`;
    const declared = await postJson(doc, big);
    expect(declared.status).toBe(413);
    async function* chunks() {
      for (let index = 0; index < 160; index++) yield Buffer.alloc(64 * 1024, 'x');
    }
    const streamed = await send(doc, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: chunks(),
    });
    expect(streamed.status).toBe(413);
    await expectUnchanged();
  });

  it.each([
    ['malformed JSON', '[{"t":'],
    ['not JSON at all', 'hello'],
    ['an empty body', ''],
    ['a number', '42'],
    ['null', 'null'],
    ['an object', '{"tables":{},"values":{}}'],
    ['an empty array', '[]'],
    ['three items', '[{},{},{}]'],
    ['a table that is a number', '[{"t":1},{}]'],
    ['values that are an array', '[{},[]]'],
    [
      'a cell that is a JSON object holding a non-JSON number',
      '[{"t":{"r":{"c":{"x":1e999}}}},{}]',
    ],
    ['a prototype-polluting object', '{"__proto__":{"polluted":true}}'],
  ])('refuses %s with 400 and keeps the document', async (_name, body) => {
    const answer = await postJson(doc, body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toEqual(expect.any(String));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expectUnchanged();
  });

  it('refuses a body that is not UTF-8 with 400', async () => {
    const answer = await send(doc, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: Buffer.from([0x5b, 0xff, 0xfe, 0x5d]),
    });
    expect(answer.status).toBe(400);
    await expectUnchanged();
  });

  it('stores JSON objects and arrays as cells and values, __proto__ keys as plain data', async () => {
    const content = JSON.parse(
      '[{"t":{"r":{"c":{"x":[1,{"y":null}]},"__proto__":{"polluted":true}}}},{"v":{},"w":[]}]',
    );
    const saved = await postJson(doc, content);
    expect(saved.status).toBe(204);
    const got = await send(doc);
    expect(JSON.parse(got.text)).toEqual(content);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores __proto__, constructor and prototype as ordinary ids', async () => {
    const content = JSON.parse(
      '[{"__proto__":{"constructor":{"prototype":1}}},{"__proto__":"v","constructor":false}]',
    );
    const saved = await postJson(doc, content);
    expect(saved.status).toBe(204);
    await running.restart();
    const got = await send(`${running.url}/stores/pets`);
    expect(JSON.parse(got.text)).toEqual(content);
    expect(Object.keys(JSON.parse(got.text)[0])).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).prototype).toBeUndefined();
  });
});

describe('bearer token', () => {
  let running: Running;
  let doc: string;
  beforeEach(async () => {
    running = await startServer({token: 's3cret-token'});
    doc = `${running.url}/stores/notes`;
  });
  afterEach(async () => {
    await running.destroy();
  });
  const authorized = {authorization: 'Bearer s3cret-token'};

  it('answers 401 without a token or with a wrong one, and keeps the document', async () => {
    expect((await postJson(doc, GOOD, authorized)).status).toBe(204);
    const missing = await postJson(doc, [{}, {}]);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    for (const authorization of [
      'Bearer wrong',
      'Bearer s3cret-token-but-longer',
      'Bearer s3cret-toke',
      'Basic czNjcmV0LXRva2Vu',
      's3cret-token',
      'Bearer',
    ]) {
      expect((await postJson(doc, [{}, {}], {authorization})).status).toBe(401);
      expect((await send(doc, {headers: {authorization}})).status).toBe(401);
    }
    expect((await send(doc)).status).toBe(401);
    const got = await send(doc, {headers: authorized});
    expect(got.status).toBe(200);
    expect(JSON.parse(got.text)).toEqual(GOOD);
  });

  it('lets a preflight through without a token', async () => {
    expect((await send(doc, {method: 'OPTIONS'})).status).toBe(204);
  });
});
