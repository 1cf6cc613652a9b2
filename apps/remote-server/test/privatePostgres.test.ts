// The test helper itself: a private cluster starts, answers, survives a crash
// and restart with its committed data, and leaves nothing behind.
import {existsSync} from 'node:fs';
import pg from 'pg';
import {expect, it} from 'vitest';
import {startPrivatePostgres} from '../src/testing/privatePostgres';

it('starts a private cluster on 127.0.0.1, restarts it after a crash, removes it', async () => {
  const postgres = await startPrivatePostgres();
  try {
    expect(postgres.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const query = async (sql: string) => {
      const client = new pg.Client({connectionString: postgres.url});
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    await query('CREATE TABLE t (n int)');
    await query('INSERT INTO t VALUES (1)');
    await postgres.kill();
    await expect(query('SELECT 1')).rejects.toThrow();
    await postgres.start();
    expect(await query('SELECT n FROM t')).toEqual([{n: 1}]);
  } finally {
    await postgres.destroy();
  }
  expect(existsSync(postgres.folder)).toBe(false);
});
