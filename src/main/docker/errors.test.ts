// Docker errors become the daemon's own words.
import { describe, expect, it } from 'vitest';
import { dockerErrorMessage, dockerStatusCode } from './errors';

describe('dockerErrorMessage', () => {
  it("keeps the daemon's message and drops the HTTP prefix", () => {
    const err = Object.assign(new Error('(HTTP code 404) no such container - No such container: wh-x '), {
      statusCode: 404,
      json: { message: 'No such container: wh-x' },
    });
    expect(dockerErrorMessage(err)).toBe('No such container: wh-x');
    expect(dockerStatusCode(err)).toBe(404);
  });

  it('falls back to the error message', () => {
    expect(dockerErrorMessage(new Error('(HTTP code 500) server error - boom. '))).toBe('boom');
    expect(dockerErrorMessage('plain')).toBe('plain');
    expect(dockerStatusCode(new Error('x'))).toBeUndefined();
  });
});
