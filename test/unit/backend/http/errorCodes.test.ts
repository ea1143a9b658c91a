import assert from 'node:assert/strict';
import { z } from 'zod';
import { API_ERROR_CODES, isErrorCode } from '../../../../backend/contract';
import { HttpError } from '../../../../backend/errors';
import { toErrorResponse } from '../../../../backend/http/errorMiddleware';

describe('error codes: one typed union in the contract', () => {
  it('every answer of the error middleware carries a code of the union', () => {
    const koaError = (status: number, message = 'x') => Object.assign(new Error(message), { status, expose: true });
    const answers = [
      toErrorResponse(z.object({ a: z.string() }).safeParse({}).error),
      toErrorResponse(new HttpError(409, 'operation_in_progress', 'busy')),
      toErrorResponse(Object.assign(new Error('disk'), { code: 'ENOSPC' })),
      ...[413, 415, 405, 501, 400, 418].map((s) => toErrorResponse(koaError(s))),
      toErrorResponse(new Error('boom')),
    ];
    assert.deepEqual(answers.map((a) => [a.status, a.body.error.code]), [
      [400, 'validation_failed'], [409, 'operation_in_progress'], [507, 'insufficient_storage'],
      [413, 'payload_too_large'], [415, 'unsupported_media_type'], [405, 'method_not_allowed'],
      [501, 'method_not_implemented'], [400, 'invalid_body'], [418, 'http_418'], [500, 'internal'],
    ]);
    for (const a of answers) assert.ok(isErrorCode(a.body.error.code), a.body.error.code);
  });

  it('knows each code once, in snake_case, and refuses what is not one', () => {
    assert.equal(new Set(API_ERROR_CODES).size, API_ERROR_CODES.length);
    for (const c of API_ERROR_CODES) assert.match(c, /^[a-z]+(_[a-z]+)*$/);
    assert.equal(isErrorCode('not_found'), true);
    assert.equal(isErrorCode('http_404'), true);
    assert.equal(isErrorCode('conflict'), false);
    assert.equal(isErrorCode('http_4040'), false);
  });
});
