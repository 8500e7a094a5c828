// Tests for turning gateway failures into sentences people can act on.
import { describe, expect, it } from 'vitest';
import { GatewayError, errorFromResponse, isEngineUnreachable, isSessionExpired } from './client';

describe('errorFromResponse', () => {
  it('keeps the sentence and hint of an app API error', () => {
    const err = errorFromResponse(
      503,
      'Service Unavailable',
      JSON.stringify({ error: 'Cluster "dev" is not running.', hint: 'Start it.' }),
    );
    expect(err.message).toBe('Cluster "dev" is not running.');
    expect(err.hint).toBe('Start it.');
    expect(err.status).toBe(503);
  });

  it('reads the message and reason of a Kubernetes Status', () => {
    const body = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "web" not found',
      reason: 'NotFound',
      code: 404,
    };
    const err = errorFromResponse(404, 'Not Found', JSON.stringify(body));
    expect(err.message).toBe('pods "web" not found');
    expect(err.reason).toBe('NotFound');
  });

  it('says what happened when the body is not an error document', () => {
    expect(errorFromResponse(502, 'Bad Gateway', '<html>oops</html>').message).toBe(
      'The Wheelhouse engine answered 502 Bad Gateway.',
    );
    expect(errorFromResponse(500, '', '').message).toBe('The Wheelhouse engine answered 500.');
  });
});

describe('error kinds', () => {
  it('treats 401 as an expired session and status 0 as an unreachable engine', () => {
    expect(isSessionExpired(errorFromResponse(401, 'Unauthorized', '{"error":"Authentication required."}'))).toBe(true);
    expect(isSessionExpired(new GatewayError('x', 403))).toBe(false);
    expect(isEngineUnreachable(new GatewayError('x', 0))).toBe(true);
    expect(isSessionExpired(new Error('x'))).toBe(false);
  });
});
