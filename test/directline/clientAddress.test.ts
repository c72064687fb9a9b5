/**
 * The key of per-client limits: the connection's address, or behind a trusted proxy the last
 * X-Forwarded-For entry (the one the proxy added; a client can put anything before it). IPv4 written
 * as IPv6 is IPv4, and an IPv6 client counts per /64, so one subscriber cannot escape the limits by
 * using the many addresses of its own network.
 */
import type { IncomingMessage } from 'http';
import { clientAddress, clientKey } from '../../src/directline/http';

const req = (remoteAddress: string | undefined, xff?: string | string[]) =>
  ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

test('IPv4, IPv4 in IPv6 notation, and IPv6 per /64', () => {
  expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
  expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  expect(clientKey('::1')).toBe('0:0:0:0::/64');
  expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
  expect(clientKey('2001:db8:1:2::99')).toBe('2001:db8:1:2::/64');
  expect(clientKey('2001:0DB8:0001:0002:ffff::1')).toBe('2001:db8:1:2::/64');
  expect(clientKey('[2001:db8:1:2::1]')).toBe('2001:db8:1:2::/64');
  expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  expect(clientKey('2001:db8::')).toBe('2001:db8:0:0::/64');
  // not an address (a proxy's odd header): kept, bounded
  expect(clientKey('unknown')).toBe('unknown');
  expect(clientKey('x'.repeat(500))).toHaveLength(64);
});

test('the connection address unless the proxy is trusted; then the last X-Forwarded-For entry', () => {
  expect(clientAddress(req('198.51.100.1', '203.0.113.9'), false)).toBe('198.51.100.1');
  expect(clientAddress(req('198.51.100.1', '203.0.113.9'), true)).toBe('203.0.113.9');
  // a client sending its own X-Forwarded-For cannot choose its key: the proxy appends the real one
  expect(clientAddress(req('198.51.100.1', '1.2.3.4, 5.6.7.8, 203.0.113.9'), true)).toBe('203.0.113.9');
  expect(clientAddress(req('198.51.100.1', ['1.2.3.4', '203.0.113.9']), true)).toBe('203.0.113.9');
  expect(clientAddress(req('198.51.100.1', ''), true)).toBe('198.51.100.1');
  expect(clientAddress(req('::ffff:127.0.0.2'), false)).toBe('127.0.0.2');
  expect(clientAddress(req(undefined), false)).toBe('unknown');
});
