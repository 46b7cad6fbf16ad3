/**
 * Server texts in the reader's language (issue 17): the "how moderation works" page by `?lang=`
 * or Accept-Language, and the members' sign-in mail in the widget's language over real SMTP —
 * English when nothing Parley speaks is asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { startTestServer, TEST_SITES, type TestServer } from '../support/server.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.js';

let sink: SmtpSink;
let server: TestServer;
const OPEN = { id: 'open', name: 'Open Patients', origins: ['https://open.example'] };

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ smtpUrl: sink.url, sites: [...TEST_SITES, OPEN] });
});
afterAll(async () => {
  await server.close();
  await sink.close();
});

const api = (site: string) => `${server.url}/api/sites/${site}`;

/** Subject and text of a mail as a reader sees them: encoded words and the body's transfer encoding undone. */
function readMail(mail: ReceivedMail): { subject: string; text: string } {
  const [head = '', ...rest] = mail.data.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const word = (s: string) =>
    s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : qp(data.replace(/_/g, ' ')),
    );
  const qp = (s: string) => {
    const bytes: number[] = [];
    const src = s.replace(/=\r?\n/g, '');
    for (let i = 0; i < src.length; i++) {
      if (src[i] === '=' && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
        bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(src[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  };
  const subject = word(/^subject: (.*)$/im.exec(headers)?.[1] ?? '');
  const body = rest.join('\n\n');
  const encoding = /^content-transfer-encoding: (.*)$/im.exec(headers)?.[1]?.trim().toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : encoding === 'quoted-printable' ? qp(body) : body;
  return { subject, text };
}

async function mailTo(email: string): Promise<{ subject: string; text: string }> {
  for (let i = 0; i < 200; i++) {
    const mail = sink.messages.find((m) => m.to.includes(`<${email}>`));
    if (mail) return readMail(mail);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no mail to ${email}`);
}

describe('"how moderation works" in the reader’s language', () => {
  it('follows ?lang=, in JSON and Markdown, with the regulatory terms', async () => {
    const md = await http(`${api('alpha')}/moderation/how-it-works?format=markdown&lang=de-AT`);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-language')).toBe('de');
    expect(md.body).toContain('# Wie die Moderation auf Alpha Patients funktioniert');
    expect(md.body).toContain('Begründung');
    const fr = await http(`${api('alpha')}/moderation/how-it-works?lang=fr`);
    expect(fr.body.lang).toBe('fr');
    expect(fr.body.decisions.statementOfReasons).toContain('exposé des motifs');
  });

  it('follows Accept-Language by its q values when no lang is given', async () => {
    const ar = await http(`${api('alpha')}/moderation/how-it-works`, { headers: { 'accept-language': 'sv;q=0.9, ar-EG;q=0.8, en;q=0.5' } });
    expect(ar.body.lang).toBe('ar');
    expect(ar.body.decisions.statementOfReasons).toContain('بيان الأسباب');
    expect(ar.headers.get('vary')).toMatch(/accept-language/i);
  });

  it('answers in English for a language Parley does not speak', async () => {
    const xx = await http(`${api('alpha')}/moderation/how-it-works?lang=xx`, { headers: { 'accept-language': 'sv' } });
    expect(xx.body.lang).toBe('en');
    expect(xx.body.automation.decision).toMatch(/^No decision is automated/);
  });

  it('refuses an over-long lang with 400 and the error shape', async () => {
    const res = await http(`${api('alpha')}/moderation/how-it-works?lang=${'x'.repeat(40)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});

describe('the sign-in mail in the widget’s language', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['fr-BE', 'Connexion à Open Patients', /Ouvrez ce lien dans les 15 minutes/],
    ['de', 'Anmeldung bei Open Patients', /innerhalb von 15 Minuten/],
    ['ar', 'تسجيل الدخول إلى Open Patients', /افتح هذا الرابط خلال 15 دقيقة/],
    ['xx', 'Sign in to Open Patients', /Open this link within 15 minutes/],
  ];
  for (const [lang, subject, line] of cases) {
    it(`lang ${lang}`, async () => {
      const email = `reader.${lang.toLowerCase()}@patients.example`;
      const res = await http(`${api('open')}/sign-in/email`, { body: { email, returnUrl: 'https://open.example/t', lang } });
      expect(res.status).toBe(202);
      const mail = await mailTo(email);
      expect(mail.subject).toBe(subject);
      expect(mail.text).toMatch(line);
      expect(mail.text).toMatch(/#parley-sign-in=[A-Za-z0-9_-]+/);
    });
  }
});
