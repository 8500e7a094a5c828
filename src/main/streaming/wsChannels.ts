// The Kubernetes channel protocols over WebSocket (`*.channel.k8s.io`): every message
// starts with a channel number; v5 adds [255, channel] to half-close a channel.

/** Channel numbers the remote command protocols use. */
export const Channel = {
  Stdin: 0,
  Stdout: 1,
  Stderr: 2,
  Error: 3,
  Resize: 4,
  /** Close is v5's half-close signal: [255, channel]. */
  Close: 255,
} as const;

/** ChannelProtocol describes one WebSocket subprotocol of the channel family. */
export interface ChannelProtocol {
  name: string;
  /** binary: raw bytes in binary messages; otherwise '0'+channel then base64 in text messages. */
  binary: boolean;
  /** closeSignal: the client may half-close a channel (v5). */
  closeSignal: boolean;
}

/** REMOTE_COMMAND_PROTOCOLS are the exec/attach subprotocols served, best first. */
export const REMOTE_COMMAND_PROTOCOLS: readonly ChannelProtocol[] = [
  { name: 'v5.channel.k8s.io', binary: true, closeSignal: true },
  { name: 'v4.channel.k8s.io', binary: true, closeSignal: false },
  { name: 'v4.base64.channel.k8s.io', binary: false, closeSignal: false },
];

/** offeredProtocols splits a Sec-WebSocket-Protocol header into protocol names. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/**
 * negotiateProtocol picks the first protocol the client offers that the server supports,
 * honouring the client's order as the Kubernetes API server does.
 */
export function negotiateProtocol<T extends { name: string }>(
  offered: readonly string[],
  supported: readonly T[],
): T | undefined {
  for (const name of offered) {
    const match = supported.find((p) => p.name === name);
    if (match) return match;
  }
  return undefined;
}

/** ChannelMessage is one decoded client message. */
export type ChannelMessage = { kind: 'data'; channel: number; data: Buffer } | { kind: 'close'; channel: number };

/** encodeChannelMessage frames data for a channel; binary tells which WebSocket opcode to use. */
export function encodeChannelMessage(
  protocol: ChannelProtocol,
  channel: number,
  data: Buffer,
): { payload: Buffer | string; binary: boolean } {
  if (protocol.binary) {
    const payload = Buffer.allocUnsafe(data.length + 1);
    payload[0] = channel;
    data.copy(payload, 1);
    return { payload, binary: true };
  }
  return { payload: String.fromCharCode(48 + channel) + data.toString('base64'), binary: false };
}

/** decodeChannelMessage parses a client message; undefined means it carries nothing. */
export function decodeChannelMessage(protocol: ChannelProtocol, message: Buffer): ChannelMessage | undefined {
  if (message.length === 0) return undefined;
  if (protocol.binary) {
    if (protocol.closeSignal && message[0] === Channel.Close) {
      return message.length >= 2 ? { kind: 'close', channel: message[1] } : undefined;
    }
    return { kind: 'data', channel: message[0], data: message.subarray(1) };
  }
  const channel = message[0] - 48;
  if (channel < 0 || channel > 9) return undefined;
  return { kind: 'data', channel, data: Buffer.from(message.subarray(1).toString('latin1'), 'base64') };
}
