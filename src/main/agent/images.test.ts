// Image references and the Pulled event text.
import { describe, expect, it } from 'vitest';
import { isValidImageReference, pulledMessage } from './images';

describe('isValidImageReference', () => {
  it('accepts the usual forms', () => {
    for (const ref of ['busybox', 'busybox:1.36', 'wh-test/busybox:1', 'docker.io/library/nginx:1.25', '127.0.0.1:5000/team/app:v1', `alpine@sha256:${'a'.repeat(64)}`]) {
      expect(isValidImageReference(ref), ref).toBe(true);
    }
  });
  it('rejects malformed references', () => {
    for (const ref of ['', 'Busybox', 'bad image', 'a:b:c', 'repo:', ':tag']) expect(isValidImageReference(ref), ref).toBe(false);
  });
});

describe('pulledMessage', () => {
  it('says how the image came to the node', () => {
    expect(pulledMessage('x:1', { how: 'present', imageId: 'i', sizeBytes: 1, durationMs: 0 })).toBe('Container image "x:1" already present on machine');
    expect(pulledMessage('x:1', { how: 'sideloaded', imageId: 'i', sizeBytes: 2048, durationMs: 1500 })).toBe(
      'Successfully pulled image "x:1" in 1.5s, side-loaded from the host\'s Docker. Image size: 2048 bytes.',
    );
  });
});
