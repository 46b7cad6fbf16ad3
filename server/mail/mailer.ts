/**
 * Outgoing mail through nodemailer (SMTP from PARLEY_SMTP_URL). Every message is first
 * recorded in the outbox table; without SMTP configured (development and the demo) the
 * outbox is where it stays, and the demo shows it so a visitor can click the link.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

export interface Mailer {
  /** `error` says why a message was not delivered (for callers that retry, e.g. safety forwards). */
  send(site: string, to: string, subject: string, text: string, at: string): Promise<{ delivered: boolean; error?: string }>;
  /** 'outbox': no SMTP configured, mail only waits in the outbox (retrying would not help). */
  readonly transport?: 'smtp' | 'outbox';
}

export function createMailer(store: Store, log: Logger, options: { smtpUrl?: string | null; from?: string }): Mailer {
  const transport: Transporter | null = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  const from = options.from ?? 'Parley <no-reply@parley.invalid>';
  return {
    transport: transport ? 'smtp' : 'outbox',
    async send(site, to, subject, text, at) {
      const id = await store.addOutbox({ site, recipient: to, subject, body: text, createdAt: at, delivered: false });
      if (!transport) return { delivered: false };
      try {
        await transport.sendMail({ from, to, subject, text });
        await store.markDelivered(id);
        return { delivered: true };
      } catch (error) {
        log.warn({ err: error, outbox: id }, 'mail delivery failed; it stays in the outbox');
        return { delivered: false, error: String((error as Error)?.message ?? error).slice(0, 300) };
      }
    },
  };
}
