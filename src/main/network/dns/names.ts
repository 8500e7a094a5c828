// Name helpers for the cluster DNS: canonical names, the dashed form of an IP that
// pod and endpoint records use ("10-244-1-5"), and the reverse-lookup names
// (in-addr.arpa / ip6.arpa) of addresses.
import { isIP, isIPv4, isIPv6 } from 'node:net';

/** canonicalName lowercases a DNS name and drops its trailing dot ('Web.Default.' -> 'web.default'). */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** dashedIp writes an address the way pod and endpoint names carry it: '10.244.1.5' -> '10-244-1-5', 'fd00::1' -> 'fd00--1'. */
export function dashedIp(ip: string): string {
  return ip.toLowerCase().replace(/[.:]/g, '-');
}

/** ipFromDashed reads a dashed address back ('10-244-1-5' -> '10.244.1.5'); undefined when it is no address. */
export function ipFromDashed(label: string): string | undefined {
  const v4 = label.replace(/-/g, '.');
  if (isIPv4(v4)) return v4;
  const v6 = label.replace(/-/g, ':');
  if (isIPv6(v6)) return v6;
  return undefined;
}

/** expandIPv6 writes an IPv6 address with all eight groups of four hex digits. */
export function expandIPv6(ip: string): string {
  let text = ip.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups first.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...fill, ...tailGroups].map((g) => g.padStart(4, '0')).join(':');
}

/** sameIp tells whether two address strings name the same address (IPv6 has many spellings). */
export function sameIp(a: string, b: string): boolean {
  if (a === b) return true;
  if (isIPv6(a) && isIPv6(b)) return expandIPv6(a) === expandIPv6(b);
  return false;
}

/** ipKey returns one spelling per address, for use as a map key. */
export function ipKey(ip: string): string {
  return isIPv6(ip) ? expandIPv6(ip) : ip;
}

/** ipFromReverseName reads the address of a reverse-lookup name ('5.1.244.10.in-addr.arpa' -> '10.244.1.5'); undefined for anything else. */
export function ipFromReverseName(name: string): string | undefined {
  const n = canonicalName(name);
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4) return undefined;
    const ip = parts.reverse().join('.');
    return isIPv4(ip) ? ip : undefined;
  }
  if (n.endsWith('.ip6.arpa')) {
    const nibbles = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || nibbles.some((x) => !/^[0-9a-f]$/.test(x))) return undefined;
    const hex = nibbles.reverse().join('');
    const ip = hex.match(/.{4}/g)!.join(':');
    return isIP(ip) === 6 ? expandIPv6(ip) : undefined;
  }
  return undefined;
}

/** reverseName returns the reverse-lookup name of an address ('10.244.1.5' -> '5.1.244.10.in-addr.arpa'). */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${expandIPv6(ip).replace(/:/g, '').split('').reverse().join('.')}.ip6.arpa`;
}
