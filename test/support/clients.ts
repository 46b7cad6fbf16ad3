/** Real HTTP and socket.io clients for integration tests. */
import { io, type Socket } from 'socket.io-client';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function http<T = any>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; rawBody?: string; origin?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.origin) headers.origin = init.origin;
  let body: string | undefined;
  if (init.rawBody !== undefined) {
    body = init.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: leave as text so the test can show it
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export function connect(url: string, auth: Record<string, unknown>, options: { origin?: string; reconnection?: boolean } = {}): Socket {
  return io(url, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: options.reconnection ?? false,
    extraHeaders: options.origin ? { origin: options.origin } : undefined,
  });
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

export function connectError(socket: Socket): Promise<Error & { data?: any }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
    socket.once('connect_error', (error) => resolve(error as Error & { data?: any }));
  });
}

/** Resolves with the next `count` payloads of an event. */
export function nextEvents<T = any>(socket: Socket, event: string, count = 1, timeoutMs = 5000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`timed out waiting for ${count} × ${event} (got ${got.length})`));
    }, timeoutMs);
    const listener = (payload: T) => {
      got.push(payload);
      if (got.length >= count) {
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(got);
      }
    };
    socket.on(event, listener);
  });
}
