/**
 * Who is on the other end: the client address that rate limits, socket caps, handshake
 * limits, tarpits and logs count by, for HTTP requests and Socket.IO handshakes alike.
 *
 * Behind a reverse proxy every connection comes from the proxy, so without help the whole
 * site would share one address (and one cap of open sockets). The operator names the
 * proxies to believe with `trustProxy` (PARLEY_TRUST_PROXY), in Express's "trust proxy"
 * terms: `true` (every hop), a hop count (`1` = the nearest proxy only), or addresses,
 * CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal` (a list or a
 * comma-separated string). The address is then the nearest one in `X-Forwarded-For` that
 * was not added by a trusted proxy; a client that is not a trusted proxy cannot forge one.
 * Without the setting (`false`, the default) forwarded headers are ignored.
 */
import type http from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustProxySetting = boolean | number | string | string[];

/** Reads PARLEY_TRUST_PROXY: `true`/`false`, a hop count, or a comma-separated list of addresses, ranges and names. */
export function parseTrustProxy(text: string): TrustProxySetting {
  const value = text.trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^[0-9]+$/.test(value)) return Number(value);
  const list = value.split(',').map((part) => part.trim()).filter(Boolean);
  // Fails at start-up on a typo, not on the first request.
  proxyaddr.compile(list);
  return list;
}

/** The same test Express builds from its "trust proxy" setting: is the hop at `index` (0 = the socket's peer) a trusted proxy? */
export function compileTrust(setting: TrustProxySetting): (address: string, index: number) => boolean {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, index) => index < setting;
  const list = typeof setting === 'string' ? setting.split(',').map((part) => part.trim()).filter(Boolean) : setting;
  return proxyaddr.compile(list);
}

export type AddressOf = (req: http.IncomingMessage) => string;

/** The client address of a request (an HTTP request or a Socket.IO handshake's), under a trust setting. */
export function addressResolver(setting: TrustProxySetting): AddressOf {
  const trust = compileTrust(setting);
  const known = new WeakMap<http.IncomingMessage, string>();
  return (req) => {
    let address = known.get(req);
    if (address === undefined) {
      // A closed socket has no remoteAddress; proxy-addr needs a string.
      address = req.socket?.remoteAddress ? proxyaddr(req, trust) : 'unknown';
      known.set(req, address);
    }
    return address;
  };
}
