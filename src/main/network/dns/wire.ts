// Small pieces of the DNS wire format that the server needs around dns-packet:
// response codes and header bits, the UDP size limit a client asked for, truncation
// of answers that do not fit a UDP datagram, and replies to queries that cannot be
// decoded at all.
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import * as dnsPacket from 'dns-packet';

/** Rcode maps response code names to their numbers. */
export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** RcodeName is the name of a response code the server sends. */
export type RcodeName = keyof typeof Rcode;

/** Header bits of the flags word (after the QR bit). */
export const Flags = {
  AA: 1 << 10,
  TC: 1 << 9,
  RD: 1 << 8,
  RA: 1 << 7,
} as const;

/** classicUdpLimit is the largest UDP answer a client that sent no EDNS record accepts. */
export const classicUdpLimit = 512;
/** maxUdpLimit caps what the server sends over UDP however much a client offers. */
export const maxUdpLimit = 4096;
/** advertisedUdpSize is the UDP payload size the server offers in its own EDNS record. */
export const advertisedUdpSize = 1232;

/** opcodeOf returns the opcode of a decoded message (0 is a standard query). */
export function opcodeOf(packet: Pick<DecodedPacket, 'flags'>): number {
  return ((packet.flags ?? 0) >> 11) & 0xf;
}

/** rcodeOf returns the response code of a decoded message. */
export function rcodeOf(packet: Pick<DecodedPacket, 'flags'>): number {
  return (packet.flags ?? 0) & 0xf;
}

/** ednsOf returns the client's EDNS record, if it sent one. */
export function ednsOf(packet: Packet): Extract<Answer, { type: 'OPT' }> | undefined {
  return (packet.additionals ?? []).find((a): a is Extract<Answer, { type: 'OPT' }> => a.type === 'OPT');
}

/** udpLimitOf returns how large a UDP answer to this query may be. */
export function udpLimitOf(query: Packet): number {
  const edns = ednsOf(query);
  if (!edns) return classicUdpLimit;
  return Math.min(maxUdpLimit, Math.max(classicUdpLimit, edns.udpPayloadSize || classicUdpLimit));
}

/** ReplySections are what a reply carries besides its header and question. */
export interface ReplySections {
  answers?: Answer[];
  authorities?: Answer[];
  additionals?: Answer[];
}

/** reply builds the reply to a decoded query: same id and question, RD echoed, RA set, an EDNS record when the query had one. */
export function reply(
  query: DecodedPacket,
  rcode: RcodeName,
  sections: ReplySections = {},
  authoritative = false,
): Packet {
  const additionals = [...(sections.additionals ?? [])];
  if (ednsOf(query))
    additionals.push({
      type: 'OPT',
      name: '.',
      udpPayloadSize: advertisedUdpSize,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options: [],
    });
  return {
    type: 'response',
    id: query.id,
    flags:
      (opcodeOf(query) << 11) |
      ((query.flags ?? 0) & Flags.RD) |
      (authoritative ? Flags.AA : 0) |
      Flags.RA |
      Rcode[rcode],
    questions: query.questions,
    answers: sections.answers ?? [],
    authorities: sections.authorities ?? [],
    additionals,
  };
}

/**
 * encodeReply encodes a reply; when limit is given (UDP) and the reply is larger, it
 * sends the question alone with the TC bit set, so the client asks again over TCP.
 */
export function encodeReply(packet: Packet, limit?: number): Buffer {
  const encoded = dnsPacket.encode(packet);
  if (limit === undefined || encoded.length <= limit) return encoded;
  const opt = (packet.additionals ?? []).filter((a) => a.type === 'OPT');
  return dnsPacket.encode({
    ...packet,
    flags: (packet.flags ?? 0) | Flags.TC,
    answers: [],
    authorities: [],
    additionals: opt,
  });
}

/** questionEnd returns the offset just past the first question of a raw message, or undefined when it cannot be read without decompression. */
export function questionEnd(raw: Buffer): number | undefined {
  if (raw.length < 12 || raw.readUInt16BE(4) < 1) return undefined;
  let offset = 12;
  for (;;) {
    if (offset >= raw.length) return undefined;
    const len = raw[offset];
    if (len === 0) break;
    if (len > 63) return undefined;
    offset += len + 1;
  }
  offset += 5;
  return offset <= raw.length ? offset : undefined;
}

/** questionKey returns the first question of a raw message as "name/type/class" in lower case, for matching a response to its query. */
export function questionKey(raw: Buffer): string | undefined {
  const end = questionEnd(raw);
  if (end === undefined) return undefined;
  return raw.subarray(12, end).toString('latin1').toLowerCase();
}

/** fitRaw truncates a raw (forwarded) response to a UDP limit: header and question with TC set, nothing else. */
export function fitRaw(raw: Buffer, limit: number): Buffer {
  if (raw.length <= limit) return raw;
  const end = questionEnd(raw) ?? 12;
  const out = Buffer.from(raw.subarray(0, end));
  out.writeUInt16BE(out.readUInt16BE(2) | Flags.TC, 2);
  out.writeUInt16BE(end > 12 ? 1 : 0, 4);
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  return out;
}

/** rawError answers a message that could not be decoded: its id, RD echoed, the given code, no sections. */
export function rawError(raw: Buffer, rcode: RcodeName): Buffer | undefined {
  if (raw.length < 12) return undefined;
  const out = Buffer.alloc(12);
  out.writeUInt16BE(raw.readUInt16BE(0), 0);
  const flags = raw.readUInt16BE(2);
  out.writeUInt16BE(0x8000 | (flags & 0x7800) | (flags & Flags.RD) | Flags.RA | Rcode[rcode], 2);
  return out;
}

/** isResponse tells whether a raw message has its QR bit set. */
export function isResponse(raw: Buffer): boolean {
  return raw.length >= 3 && (raw[2] & 0x80) !== 0;
}

/** isTruncated tells whether a raw message has its TC bit set. */
export function isTruncated(raw: Buffer): boolean {
  return raw.length >= 4 && (raw.readUInt16BE(2) & Flags.TC) !== 0;
}
