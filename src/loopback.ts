/**
 * "On this machine": the checks behind /api/messages without app credentials (src/server.ts). Pure
 * functions, so they are tested on every shape of address.
 */
import { isIPv4, isIPv6 } from 'net';

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x (::ffff:127.0.0.1, also in its hex form ::ffff:7f00:1). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  let a = address.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (isIPv4(a)) return a.split('.')[0] === '127';
  if (!isIPv6(a)) return false;
  // the WHATWG URL parser gives the canonical form: ::1, and ::ffff:7f00:1 for ::ffff:127.0.0.1
  let canonical: string;
  try {
    canonical = new URL(`http://[${a}]/`).hostname.slice(1, -1);
  } catch {
    return false;
  }
  if (canonical === '::1') return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(canonical);
  return !!mapped && parseInt(mapped[1], 16) >> 8 === 127;
}

/** Headers a reverse proxy adds: a request that carries any of them came from elsewhere. */
export const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'];

/**
 * Whether a request comes from a program on this machine: a loopback peer and no forwarding header.
 * Behind a reverse proxy on the same machine every connection is from loopback; the proxy's
 * X-Forwarded-For (or Forwarded, X-Real-IP, Via) then marks it as remote, whatever the proxy trust
 * setting says, because a forwarded request is never the Emulator's.
 */
export function isLocalRequest(req: { socket: { remoteAddress?: string }; headers: Record<string, string | string[] | undefined> }): boolean {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return false;
  return !FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
}

/** Whether an http(s) URL points at this machine: localhost, 127.x or [::1] (as the URL parser normalises them). */
export function isLoopbackUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  if (host === 'localhost') return true;
  return isLoopbackAddress(host);
}
