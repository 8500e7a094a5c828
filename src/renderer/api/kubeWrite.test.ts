// Tests for the sentences people read when the cluster refuses a write.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from './client';
import { kubeResources } from './kubeResources';
import { kubeCreate, kubeDelete, kubeMergePatch, statusSentence } from './kubeWrite';

afterEach(() => vi.unstubAllGlobals());

describe('statusSentence', () => {
  it('words the common reasons for people', () => {
    expect(statusSentence({ reason: 'NotFound', code: 404, message: 'pods "web" not found', details: { name: 'web', kind: 'pods' } })).toBe(
      'The pod "web" does not exist (any more).',
    );
    expect(
      statusSentence({ reason: 'AlreadyExists', code: 409, message: 'namespaces "dev" already exists', details: { name: 'dev', kind: 'namespaces' } }),
    ).toBe('A namespace named "dev" already exists.');
    expect(statusSentence({ reason: 'Conflict', code: 409, message: 'x', details: { name: 'web', kind: 'Pod' } })).toBe(
      'The pod "web" was changed by someone else in the meantime; look at it again and retry.',
    );
  });

  it('names the invalid fields without the validation regex', () => {
    const sentence = statusSentence({
      reason: 'Invalid',
      code: 422,
      message: 'Namespace "Bad_Name" is invalid: ...',
      details: {
        name: 'Bad_Name',
        kind: 'Namespace',
        causes: [
          {
            field: 'metadata.name',
            message:
              "Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
          },
        ],
      },
    });
    expect(sentence).toBe(
      "The namespace \"Bad_Name\" is not valid: metadata.name: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character.",
    );
  });

  it('falls back to the message as a sentence', () => {
    expect(statusSentence({ reason: 'Forbidden', code: 403, message: 'namespaces "default" is forbidden: this namespace may not be deleted' })).toBe(
      'Namespaces "default" is forbidden: this namespace may not be deleted.',
    );
    expect(statusSentence({ code: 500 })).toBe('The cluster answered 500.');
  });
});

describe('kube writes', () => {
  it('sends a merge patch and turns a refusal into a GatewayError with the sentence', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, details: { name: 'web', kind: 'pods' } }),
          { status: 404, statusText: 'Not Found' },
        ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const patch = kubeMergePatch('dev', kubeResources.pods, 'default', 'web', { metadata: { labels: { a: null } } });
    await expect(patch).rejects.toBeInstanceOf(GatewayError);
    await expect(patch).rejects.toMatchObject({ message: 'The pod "web" does not exist (any more).', reason: 'NotFound' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/clusters/dev/api/v1/namespaces/default/pods/web');
    expect(init.method).toBe('PATCH');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/merge-patch+json');
    // Deleting what is already gone is done, not a failure.
    await expect(kubeDelete('dev', kubeResources.pods, 'default', 'web')).resolves.toBeUndefined();
  });

  it('creates in the object namespace and returns the stored object', async () => {
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => new Response(String(init?.body), { status: 201 }));
    vi.stubGlobal('fetch', fetchMock);
    const created = await kubeCreate('dev', kubeResources.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    expect(created.metadata.name).toBe('team-a');
    expect(fetchMock.mock.calls[0][0]).toBe('/clusters/dev/api/v1/namespaces');
  });
});
