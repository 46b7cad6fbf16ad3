/** Staff sign-in links travel over real SMTP (to a local receiver), and failures keep the mail. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { setUpIdentity } from '../support/identity-fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let sink: SmtpSink;
let failing: SmtpSink;
let server: TestServer;
let broken: TestServer;

beforeAll(async () => {
  sink = await startSmtpSink();
  failing = await startSmtpSink({ failWith: 550 });
  server = await startTestServer({ smtpUrl: sink.url, mailFrom: 'Alpha Patients <forum@alpha.example>' });
  broken = await startTestServer({ smtpUrl: failing.url });
});
afterAll(async () => {
  await server.close();
  await broken.close();
  await sink.close();
  await failing.close();
});

describe('mail', () => {
  it('sends the staff sign-in link over SMTP and marks it delivered', async () => {
    const fx = await setUpIdentity(server);
    const sent = await http(`${fx.api}/staff/email-link`, {
      body: { email: 'mia@acme.example', name: 'Mia Mail', jobTitle: 'Medical Advisor', returnUrl: 'https://alpha.example/forum' },
    });
    expect(sent.status).toBe(202);
    expect(sink.messages).toHaveLength(1);
    const mail = sink.messages[0]!;
    expect(mail.to).toEqual(['<mia@acme.example>']);
    expect(mail.from).toContain('forum@alpha.example');
    expect(mail.data).toMatch(/Subject: Confirm your work address for Alpha Patients/);
    expect(mail.data.replace(/=\r?\n/g, '')).toMatch(/https:\/\/alpha\.example\/forum#parley-verify=/);
    expect((await server.store.listOutbox('alpha', 5))[0]).toMatchObject({ recipient: 'mia@acme.example', delivered: true });
  });

  it('keeps the mail in the outbox, undelivered, when the SMTP server refuses it', async () => {
    const fx = await setUpIdentity(broken);
    const sent = await http(`${fx.api}/staff/email-link`, {
      body: { email: 'nia@acme.example', name: 'Nia Mail', jobTitle: 'MSL', returnUrl: 'https://alpha.example/forum' },
    });
    expect(sent.status).toBe(202);
    expect(failing.messages).toHaveLength(0);
    expect((await broken.store.listOutbox('alpha', 5))[0]).toMatchObject({ recipient: 'nia@acme.example', delivered: false });
  });
});
