import { sourceOf, sourceOfAddress } from './source.js';

describe('sourceOf', () => {
  it('counts IPv4 clients per address', () => {
    expect(sourceOfAddress('203.0.113.5')).toBe('203.0.113.5');
    expect(sourceOfAddress('203.0.113.6')).not.toBe(sourceOfAddress('203.0.113.5'));
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(sourceOfAddress('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(sourceOfAddress('::FFFF:cb00:7105')).toBe('203.0.113.5');
  });

  it('groups every address of one IPv6 /64 into one source, however it is written', () => {
    const written = [
      '2001:db8:a:b::1',
      '2001:0db8:000a:000b:0000:0000:0000:0001',
      '2001:DB8:A:B:ffff:ffff:ffff:ffff',
      '2001:db8:a:b:1234:5678:9abc:def0',
      '2001:db8:a:b::',
      '2001:db8:a:b:0:0:1.2.3.4',
    ];
    expect(new Set(written.map(sourceOfAddress))).toEqual(new Set(['2001:db8:a:b::/64']));
  });

  it('keeps neighbouring IPv6 /64s apart', () => {
    expect(sourceOfAddress('2001:db8:a:c::1')).toBe('2001:db8:a:c::/64');
    expect(sourceOfAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceOfAddress('::1')).toBe('0:0:0:0::/64');
    expect(sourceOfAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('reads the address Express derived, and an unknown one as empty', () => {
    expect(sourceOf({ ip: '2001:db8:a:b::99' })).toBe('2001:db8:a:b::/64');
    expect(sourceOf({ ip: '198.51.100.1' })).toBe('198.51.100.1');
    expect(sourceOf({})).toBe('');
  });
});
