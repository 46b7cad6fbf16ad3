/**
 * Moderation notices in the member's language (issue 17), end to end: a member who chose German
 * in their notification preferences reports a message, and the notice — its mail through real
 * SMTP (the sink on loopback), the stored notice the widget shows, and the acknowledgement — is
 * German; a member who chose nothing gets English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleNotifications } from '../../server/services/notify-queue.js';
import { http } from '../support/clients.js';
import { setUpIdentity } from '../support/identity-fixtures.js';
import { readMail, type ReadMail } from '../support/mime.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let sink: SmtpSink;
let server: TestServer;
let api: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ smtpUrl: sink.url });
  api = (await setUpIdentity(server)).api;
});
afterAll(async () => {
  await server.close();
  await sink.close();
});

let people = 0;
async function person(name: string) {
  people++;
  const sub = `notice-lang-${people}`;
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${people}@example.org`;
  const token = () => server.sign('alpha', { sub, name, email }, { expiresIn: 3600 });
  const me = await http(`${api}/me`, { token: await token() });
  expect(me.status).toBe(200);
  return { id: me.body.viewer.id as string, email, token };
}

/** The first mail to `email` whose subject matches, waiting for the mailer's background send. */
async function mailTo(email: string, subject: RegExp): Promise<ReadMail> {
  for (let i = 0; i < 400; i++) {
    await settleNotifications(server.ctx);
    const found = sink.messages.filter((m) => m.to.includes(`<${email}>`)).map((m) => readMail(m.data)).find((m) => subject.test(m.subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no mail to ${email} matching ${subject}; got ${sink.messages.filter((m) => m.to.includes(`<${email}>`)).length}`);
}

describe('a moderation notice', () => {
  it('is written in the language the member chose, in the mail, the stored notice and the acknowledgement', async () => {
    const writer = await person('Will Writer');
    const post = await http(`${api}/posts`, {
      token: await writer.token(), body: { topic: 'notice-language', body: 'You are all wrong about this.', idempotencyKey: key(), pageUrl: 'https://alpha.example/x' },
    });
    expect(post.status, JSON.stringify(post.body)).toBe(201);

    const dora = await person('Dora Deutsch');
    const chose = await http(`${api}/me/notifications`, { method: 'PUT', token: await dora.token(), body: { replies: true, language: 'de' } });
    expect(chose.status, JSON.stringify(chose.body)).toBe(200);
    const report = await http(`${api}/reports`, {
      token: await dora.token(), body: { postId: post.body.post.id, ground: 'rule', ruleId: 'R1', goodFaith: true },
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    expect(report.body.acknowledgement.message).toContain('Ihre Meldung ist eingegangen');

    const mail = await mailTo(dora.email, /Wir haben Ihre Meldung erhalten/);
    expect(mail.text).toContain('Danke. Eine Moderatorin oder ein Moderator prüft den Beitrag');
    expect(mail.text).toContain('Die vollständige Mitteilung lesen');
    expect(mail.text).not.toContain('Read the full notice');
    const noticeId = /\/notices\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const notice = await http(`${api}/notices/${noticeId}`);
    expect(notice.status).toBe(200);
    expect(notice.body.notice).toMatchObject({ kind: 'report-received', subject: 'Wir haben Ihre Meldung erhalten' });
    expect(notice.body.notice.body.message).toMatch(/^Danke\./);

    // The control: a member who chose no language reads English.
    const erin = await person('Erin English');
    const english = await http(`${api}/reports`, {
      token: await erin.token(), body: { postId: post.body.post.id, ground: 'rule', ruleId: 'R1', goodFaith: true },
    });
    expect(english.status, JSON.stringify(english.body)).toBe(201);
    expect(english.body.acknowledgement.message).toMatch(/^Your report was received/);
    const englishMail = await mailTo(erin.email, /We received your report/);
    expect(englishMail.text).toContain('Read the full notice');
  });
});
