// An incremental save: PATCH saveUrl with the save's net changes, on the
// condition that the server still holds the version they are relative to.
import {PersisterConflictError} from '@x/persister';
import type {Changes} from '@x/store';
import {CHANGES_MEDIA_TYPE, changesToJson} from './changesJson';
import {type Answer, request} from './request';

export type PatchSaveOptions = {
  saveUrl: string;
  /** The strong ETag of the version `changes` apply to. */
  etag: string;
  changes: Changes;
  headers: Record<string, string>;
  timeoutMs: number;
  signals: AbortSignal[];
};

/**
 * Whether a PATCH answer's status says the server does not take patches (any
 * more): `405`, `415` or `501`.
 *
 * @example
 * refusesPatches(415); // true
 * refusesPatches(412); // false (a conflict, not a refusal)
 */
export const refusesPatches = (status: number): boolean =>
  status === 405 || status === 415 || status === 501;

/**
 * Sends one PATCH (never following a redirect) and resolves to the new ETag. Throws
 * `PersisterConflictError` on `412` (someone wrote first) and when a `2xx`
 * names no ETag (the version is unknown: the core reloads, then saves the same
 * changes again, which changes nothing more); throws an Error naming the
 * status for anything else that is not `2xx`.
 *
 * @example
 * const etag = await patchSave({saveUrl, etag: '"abc"', changes, headers: {}, timeoutMs: 10_000, signals: []});
 */
export const patchSave = async (options: PatchSaveOptions): Promise<string> => {
  const {saveUrl} = options;
  const answer: Answer = await request({
    method: 'PATCH',
    url: saveUrl,
    headers: {...options.headers, 'Content-Type': CHANGES_MEDIA_TYPE, 'If-Match': options.etag},
    body: changesToJson(options.changes),
    timeoutMs: options.timeoutMs,
    signals: options.signals,
    // A redirect (a login page) is a failed save: its 200 is not "saved".
    redirect: 'manual',
  });
  if (answer.status === 412) throw new PersisterConflictError();
  if (answer.status === 0 || (answer.status >= 300 && answer.status < 400)) {
    throw new Error(
      `PATCH ${saveUrl} was redirected${answer.status === 0 ? '' : ` (${answer.status} to ${answer.headers.get('Location')})`}: not saved, the changes stay pending`,
    );
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(
      `PATCH ${saveUrl} answered ${answer.status}${answer.text === '' ? '' : `: ${answer.text.slice(0, 200)}`}`,
    );
  }
  const etag = answer.headers.get('ETag');
  if (etag === null) throw new PersisterConflictError();
  return etag;
};
