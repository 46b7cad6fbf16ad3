/**
 * Members of the notification tests: signed in by host tokens that claim an address (which
 * Parley has not proven), and the mail the SMTP sink received for each.
 */
import { http } from './clients.js';
import { readMail, type ReadMail } from './mime.js';
import type { TestServer } from './server.js';
import type { SmtpSink } from './smtp-sink.js';

export interface Member {
  id: string;
  name: string;
  email: string;
  /** A fresh host token (11 hours), on the server's clock. */
  token: () => Promise<string>;
}

/** Makes members of site `alpha` with subs `<prefix>-1`, `<prefix>-2`, … and distinct addresses. */
export function memberMaker(server: () => TestServer, prefix: string): (name: string) => Promise<Member> {
  let made = 0;
  return async (name) => {
    made++;
    const sub = `${prefix}-${made}`;
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${made}@example.org`;
    const token = () => server().sign('alpha', { sub, name, email }, { expiresIn: 11 * 3600 });
    const me = await http(`${server().url}/api/sites/alpha/me`, { token: await token() });
    return { id: me.body.viewer.id, name, email, token };
  };
}

/** The mails the sink received for an address, read. */
export function mailsIn(sink: SmtpSink, email: string): ReadMail[] {
  return sink.messages.filter((m) => m.to.includes(`<${email}>`)).map((m) => readMail(m.data));
}
