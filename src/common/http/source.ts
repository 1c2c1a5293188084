import { isIPv4, isIPv6 } from 'node:net';

/**
 * The source a per-source limit counts: the client address Express derived under `trust proxy`
 * (TRUST_PROXY: a hop count or the proxies' addresses, never "everything", so that a client
 * cannot write its own address into X-Forwarded-For), with IPv6 grouped per /64. One IPv6
 * subscriber (a home line, a VPS) usually gets a whole /64 and can pick any of its 2^64
 * addresses, so counting single IPv6 addresses would let one client rotate past every limit.
 * IPv4 (also written IPv4-mapped, `::ffff:203.0.113.5`) counts per address.
 *
 * Every per-source limit (sendvcode, login, validatevacode, …) keys on this, and only on this.
 */
export function sourceOf(request: { readonly ip?: string | undefined }): string {
  return sourceOfAddress(request.ip ?? '');
}

/** `203.0.113.5` → `203.0.113.5`; `2001:db8:a:b:1:2:3:4` → `2001:db8:a:b::/64`; anything else as is. */
export function sourceOfAddress(address: string): string {
  const ip = address.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface, not a host
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return address;
  const groups = ipv6Groups(ip);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 read). */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (side: string | undefined) => (side ? side.split(':').map((group) => parseInt(group, 16)) : []);
  const front = part(head);
  const back = part(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}
