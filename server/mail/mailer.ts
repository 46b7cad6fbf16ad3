/**
 * Outgoing mail through nodemailer (SMTP from PARLEY_SMTP_URL). Every message is first
 * recorded in the outbox table; without SMTP configured (development and the demo) the
 * outbox is where it stays, and the demo shows it so a visitor can click the link.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

/** Beyond subject and text: an HTML alternative and extra headers (notifications, issue 13). */
export interface MailExtras {
  html?: string;
  headers?: Record<string, string>;
}

export interface SendResult {
  delivered: boolean;
  /** Why a message was not delivered (for callers that retry, e.g. safety forwards). */
  error?: string;
  /** The SMTP server refused it for good (a 5xx reply: a hard bounce); retrying would not help. */
  permanent?: boolean;
  /** The outbox row that holds it. */
  outboxId?: number;
}

export interface Mailer {
  send(site: string, to: string, subject: string, text: string, at: string, extras?: MailExtras): Promise<SendResult>;
  /** 'outbox': no SMTP configured, mail only waits in the outbox (retrying would not help). */
  readonly transport?: 'smtp' | 'outbox';
}

/** nodemailer puts the server's reply code on the error (`responseCode`): 5xx is a permanent refusal. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function createMailer(store: Store, log: Logger, options: { smtpUrl?: string | null; from?: string }): Mailer {
  const transport: Transporter | null = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  const from = options.from ?? 'Parley <no-reply@parley.invalid>';
  return {
    transport: transport ? 'smtp' : 'outbox',
    async send(site, to, subject, text, at, extras = {}) {
      const id = await store.addOutbox({ site, recipient: to, subject, body: text, createdAt: at, delivered: false, ...extras });
      if (!transport) return { delivered: false, outboxId: id };
      try {
        await transport.sendMail({ from, to, subject, text, ...(extras.html ? { html: extras.html } : {}), ...(extras.headers ? { headers: extras.headers } : {}) });
        await store.markDelivered(id);
        return { delivered: true, outboxId: id };
      } catch (error) {
        log.warn({ err: error, outbox: id }, 'mail delivery failed; it stays in the outbox');
        return { delivered: false, error: String((error as Error)?.message ?? error).slice(0, 300), permanent: isPermanent(error), outboxId: id };
      }
    },
  };
}
