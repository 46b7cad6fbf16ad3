// Company staff sign in with an email link, end to end against the real server: the form asks
// for a link; the test reads the mail from the server's outbox (run.ts exposes it to the page
// as the test-only command `parley-outbox`, since the test server sends no mail); the widget
// opened on `#parley-verify=<token>` verifies it, drops the fragment, keeps a Parley session
// (refresh token in localStorage) and resumes it on the next load; sign out everywhere ends it.
import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { IdentityApi } from '../../widget/client/identity-api.js';
import { ParleySessionController } from '../../widget/client/parley-session.js';
import { sessionKey } from '../../widget/client/session-key.js';
import { endSession } from '../../widget/client/session-registry.js';
import type { DiscussionContext } from '../../widget/components/identity-base.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articleWith, composer, env, mount, root, typeInto, unique, until } from './helpers.js';

interface Mail {
  recipient: string;
  subject: string;
  body: string;
}

async function requestLink(el: ParleyDiscussion, email: string, name = 'Erin Employee', jobTitle = 'Medical Advisor'): Promise<ShadowRoot> {
  const notice = root(el).querySelector('[data-composer="top"]')!;
  const entry = notice.querySelector<HTMLButtonElement>('button[data-panel="staff"]')!;
  expect(entry.textContent!.trim()).to.equal('I work for a company taking part');
  if (entry.getAttribute('aria-expanded') !== 'true') entry.click();
  await until(() => root(el).querySelector('parley-staff-sign-in')?.shadowRoot?.querySelector('form'), 'the staff sign-in form never opened');
  const form = root(el).querySelector('parley-staff-sign-in')!.shadowRoot!;
  form.querySelector<HTMLInputElement>('#staff-email')!.value = email;
  form.querySelector<HTMLInputElement>('#staff-name')!.value = name;
  form.querySelector<HTMLInputElement>('#staff-title')!.value = jobTitle;
  form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  await root(el).querySelector('parley-staff-sign-in')!.updateComplete;
  await until(() => form.querySelector('[data-message]'), 'no answer to the link request');
  return form;
}

const key = () => sessionKey(env.server, env.site);

describe('identity: staff email sign-in', () => {
  afterEach(() => {
    // The page's shared session (one per server and site) must not leak into the next test.
    endSession({ server: env.server, site: env.site } as DiscussionContext);
    localStorage.removeItem(key());
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('refuses an address outside the registered companies, with the server’s words', async () => {
    const el = await mount({ topic: unique('staff-wrong') });
    const form = await requestLink(el, `someone-${unique('x')}@gmail.example`);
    const message = form.querySelector('[data-message]')!;
    expect(message.getAttribute('role')).to.equal('alert');
    expect(message.textContent).to.contain('not registered for any company');
  });

  it('requests a link, verifies it from #parley-verify=, keeps and resumes the session, and signs out everywhere', async () => {
    const email = `erin-${unique('e').slice(-10)}@acme.example`;
    const first = await mount({ topic: unique('staff-link') });
    const form = await requestLink(first, email);
    const sent = form.querySelector('[data-message]')!;
    expect(sent.getAttribute('role')).to.equal('status');
    expect(sent.textContent).to.contain(`Check your inbox: a sign-in link for Acme Pharma is on its way to ${email}`);
    first.remove();

    const mail = (await executeServerCommand<Mail[], undefined>('parley-outbox')).find((m) => m.recipient === email);
    expect(mail, 'the mail in the outbox').to.exist;
    const link = /(\S+#parley-verify=([A-Za-z0-9_-]+))/.exec(mail!.body)!;
    expect(new URL(link[1]!).origin + new URL(link[1]!).pathname).to.equal(location.origin + location.pathname);

    // The page is opened from the link.
    history.replaceState(null, '', `#parley-verify=${link[2]}`);
    const topic = unique('staff-topic');
    const el = await mount({ topic });
    await until(() => el.client?.viewer?.affiliation?.companyId === 'acme', 'the link never signed the employee in');
    expect(location.hash).to.equal('');
    expect(localStorage.getItem(key())).to.be.a('string');
    expect(el.client!.viewer!.name).to.equal('Erin Employee');
    await until(() => composer(el), 'no composer for the signed-in employee');
    typeInto(composer(el)!.textarea, 'Posted as verified staff');
    composer(el)!.submit.click();
    await until(() => articleWith(el, 'Posted as verified staff'), 'the staff post never appeared').catch((error: Error) => {
      // Say what the widget was doing: refused (the composer's error) or still sending.
      const c = composer(el);
      throw new Error(`${error.message} (sign-in ${el.client?.signIn}, pending ${JSON.stringify([...(el.client?.pending ?? [])])}, composer error "${c?.error()}", text "${c?.textarea.value}")`);
    });
    expect(articleWith(el, 'Posted as verified staff')!.querySelector('[data-company="acme"]')!.textContent).to.contain('Medical Advisor');
    const firstRefresh = localStorage.getItem(key());
    el.remove();

    // A later visit (a fresh controller, as after a page load) resumes from the stored refresh
    // token, which is rotated; the old one is refused from then on.
    const later = new ParleySessionController(new IdentityApi(env.server, env.site), key());
    const events: string[] = [];
    later.listeners.add((e) => events.push(e.type));
    await later.start();
    expect(events).to.deep.equal(['signed-in']);
    expect(later.viewer?.affiliation?.companyId).to.equal('acme');
    expect(localStorage.getItem(key())).to.be.a('string').and.not.equal(firstRefresh);
    const replay = await new IdentityApi(env.server, env.site).refresh(firstRefresh!);
    expect((replay as { error?: { code: string } }).error?.code).to.equal('token_invalid');
    later.listeners.clear();

    // Another widget on the page joins the same session.
    const again = await mount({ topic });
    await until(() => again.client?.viewer?.name === 'Erin Employee', 'the second widget did not share the session');

    // Sign out everywhere from the account panel.
    root(again).querySelector<HTMLButtonElement>('button[data-panel="account"]')!.click();
    await until(() => root(again).querySelector('parley-account')?.shadowRoot?.querySelector('[data-sign-out-everywhere]'), 'no account panel');
    const panel = root(again).querySelector('parley-account')!.shadowRoot!;
    expect(panel.textContent).to.contain('were verified by Parley Browser Tests');
    setTimeout(() => panel.querySelector<HTMLButtonElement>('[data-sign-out-everywhere]')!.click());
    const out = await oneEvent(again, 'parley-signed-out');
    expect(out.detail.reason).to.equal('signed-out-everywhere');
    await until(() => root(again).querySelector('[data-composer="top"]')?.textContent?.includes('You were signed out on every device.'), 'no sign-out message');
    expect(localStorage.getItem(key())).to.equal(null);
    expect(again.client!.viewer).to.equal(null);
    later.end();
  });

  it('signs out with a message when the stored session cannot be renewed', async () => {
    localStorage.setItem(key(), 'not-a-valid-refresh-token-0123456789abcdef');
    const el = await mount({ topic: unique('staff-expired') });
    await until(() => root(el).querySelector('[data-composer="top"]')?.textContent?.includes('your session could not be renewed'), 'no message');
    expect(localStorage.getItem(key())).to.equal(null);
  });

  it('reports a link that does not work', async () => {
    history.replaceState(null, '', '#parley-verify=' + 'x'.repeat(43));
    const el = await mount({ topic: unique('staff-bad-link') });
    await until(() => root(el).querySelector('[data-composer="top"]')?.textContent?.includes('The sign-in link did not work'), 'no message');
    expect(location.hash).to.equal('');
  });
});
