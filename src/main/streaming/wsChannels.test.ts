// The WebSocket channel framing of exec/attach: channel bytes, base64 text frames,
// v5's half-close signal, and subprotocol negotiation.
import { describe, expect, it } from 'vitest';
import {
  Channel,
  REMOTE_COMMAND_PROTOCOLS,
  decodeChannelMessage,
  encodeChannelMessage,
  negotiateProtocol,
  offeredProtocols,
} from './wsChannels';

const [v5, v4, v4base64] = REMOTE_COMMAND_PROTOCOLS;

describe('WebSocket channel messages', () => {
  it('prefixes binary messages with the channel byte', () => {
    const { payload, binary } = encodeChannelMessage(v5, Channel.Stdout, Buffer.from('hi'));
    expect(binary).toBe(true);
    expect(payload).toEqual(Buffer.from([1, 0x68, 0x69]));
    expect(decodeChannelMessage(v5, Buffer.from([0, 0x61]))).toEqual({
      kind: 'data',
      channel: 0,
      data: Buffer.from('a'),
    });
  });

  it('sends an empty message as just the channel byte', () => {
    expect(encodeChannelMessage(v4, Channel.Error, Buffer.alloc(0)).payload).toEqual(Buffer.from([3]));
  });

  it('reads [255, channel] as a half-close in v5 and as ordinary data before v5', () => {
    expect(decodeChannelMessage(v5, Buffer.from([255, 0]))).toEqual({ kind: 'close', channel: 0 });
    expect(decodeChannelMessage(v4, Buffer.from([255, 0]))).toEqual({
      kind: 'data',
      channel: 255,
      data: Buffer.from([0]),
    });
  });

  it('uses an ASCII channel digit and base64 text for base64 protocols', () => {
    const { payload, binary } = encodeChannelMessage(v4base64, Channel.Stderr, Buffer.from('oops'));
    expect(binary).toBe(false);
    expect(payload).toBe('2' + Buffer.from('oops').toString('base64'));
    expect(decodeChannelMessage(v4base64, Buffer.from('0' + Buffer.from('ls\n').toString('base64')))).toEqual({
      kind: 'data',
      channel: 0,
      data: Buffer.from('ls\n'),
    });
  });

  it('ignores empty messages', () => {
    expect(decodeChannelMessage(v5, Buffer.alloc(0))).toBeUndefined();
  });
});

describe('subprotocol negotiation', () => {
  it('splits the Sec-WebSocket-Protocol header', () => {
    expect(offeredProtocols('v5.channel.k8s.io, v4.channel.k8s.io')).toEqual([
      'v5.channel.k8s.io',
      'v4.channel.k8s.io',
    ]);
    expect(offeredProtocols(undefined)).toEqual([]);
  });

  it("follows the client's order among protocols the server speaks", () => {
    expect(negotiateProtocol(['v4.channel.k8s.io', 'v5.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS)?.name).toBe(
      'v4.channel.k8s.io',
    );
    expect(negotiateProtocol(['channel.k8s.io', 'v5.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS)?.name).toBe(
      'v5.channel.k8s.io',
    );
    expect(negotiateProtocol(['v3.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS)).toBeUndefined();
  });
});
