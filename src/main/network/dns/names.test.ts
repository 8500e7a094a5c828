// Tests of the name helpers: dashed addresses both ways, IPv6 spellings, and reverse names.
import { describe, expect, it } from 'vitest';
import { canonicalName, dashedIp, expandIPv6, ipFromDashed, ipFromReverseName, reverseName, sameIp } from './names';

describe('dns names', () => {
  it('writes and reads dashed addresses', () => {
    expect(dashedIp('10.244.1.5')).toBe('10-244-1-5');
    expect(ipFromDashed('10-244-1-5')).toBe('10.244.1.5');
    expect(dashedIp('FD00::1')).toBe('fd00--1');
    expect(ipFromDashed('fd00--1')).toBe('fd00::1');
    expect(ipFromDashed('web-0')).toBeUndefined();
    expect(ipFromDashed('10-244-1')).toBeUndefined();
  });

  it('expands and compares IPv6 spellings', () => {
    expect(expandIPv6('fd00::1')).toBe('fd00:0000:0000:0000:0000:0000:0000:0001');
    expect(expandIPv6('::ffff:10.0.0.1')).toBe('0000:0000:0000:0000:0000:ffff:0a00:0001');
    expect(sameIp('fd00::1', 'FD00:0:0:0:0:0:0:1')).toBe(true);
    expect(sameIp('10.0.0.1', '10.0.0.2')).toBe(false);
  });

  it('reads and writes reverse names', () => {
    expect(reverseName('10.244.1.5')).toBe('5.1.244.10.in-addr.arpa');
    expect(ipFromReverseName('5.1.244.10.IN-ADDR.ARPA.')).toBe('10.244.1.5');
    expect(ipFromReverseName(reverseName('fd00::30'))).toBe(expandIPv6('fd00::30'));
    expect(ipFromReverseName('1.244.10.in-addr.arpa')).toBeUndefined();
    expect(ipFromReverseName('example.com')).toBeUndefined();
  });

  it('canonicalizes names', () => {
    expect(canonicalName('Web.Shop.SVC.cluster.local.')).toBe('web.shop.svc.cluster.local');
  });
});
