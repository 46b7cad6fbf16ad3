// Members sign in by email on a site registered without a secret (issue 12), end to end against
// the real server: "Sign in" opens the widget's own dialog when the host does not take over; the
// address gets a link and a code (read from the server's outbox through the test-only command
// `parley-outbox`); the code typed into the dialog, or the link opened as `#parley-sign-in=`,
// signs in; the welcome (name, notice, house rules) comes before the first post; "Posting as"
// and "Sign out" sit above the composer. A host that calls preventDefault() keeps control.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { sessionKey } from '../../widget/client/session-key.js';
import { endSession } from '../../widget/client/session-registry.js';
import type { DiscussionContext } from '../../widget/components/identity-base.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articleWith, composer, env, root, typeInto, unique, until } from './helpers.js';

interface Mail {
  recipient: string;
  subject: string;
  body: string;
}

const site = () => env.emailSite;
const key = () => sessionKey(env.server, site());

async function mountPlain(topic: string): Promise<ParleyDiscussion> {
  const el = await fixture<ParleyDiscussion>(html`<parley-discussion server=${env.server} site=${site()} topic=${topic} lang="en"></parley-discussion>`);
  await until(() => el.client?.status === 'ready' && el.client.site, 'the first page never loaded');
  await el.updateComplete;
  return el;
}

const signInButton = (el: ParleyDiscussion) => root(el).querySelector<HTMLButtonElement>('button[data-sign-in]');
const dialogRoot = (el: ParleyDiscussion) => root(el).querySelector('parley-sign-in')?.shadowRoot ?? null;
const welcomeRoot = (el: ParleyDiscussion) => root(el).querySelector('parley-welcome')?.shadowRoot ?? null;

async function mailTo(email: string): Promise<{ token: string; code: string; body: string }> {
  let mail: Mail | undefined;
  await until(async () => {
    mail = (await executeServerCommand<Mail[], undefined>('parley-outbox')).find((m) => m.recipient === email);
    return mail;
  }, `no mail to ${email}`);
  const token = /#parley-sign-in=([A-Za-z0-9_-]+)/.exec(mail!.body)![1]!;
  const code = /code[^:]*: (\d{3}) (\d{3})/.exec(mail!.body)!;
  return { token, code: code[1]! + code[2]!, body: mail!.body };
}

/** Opens the dialog and asks for a mail to `email`; returns the dialog's shadow root. */
async function askForMail(el: ParleyDiscussion, email: string): Promise<ShadowRoot> {
  signInButton(el)!.click();
  await until(() => dialogRoot(el)?.querySelector('#sign-in-email'), 'the sign-in dialog never opened');
  const dialog = dialogRoot(el)!;
  dialog.querySelector<HTMLInputElement>('#sign-in-email')!.value = email;
  dialog.querySelector<HTMLButtonElement>('[data-email-form] button[type="submit"]')!.click();
  await until(() => dialog.querySelector('[data-sent]'), 'the dialog never said the mail was sent');
  return dialog;
}

async function welcome(el: ParleyDiscussion, name: string): Promise<void> {
  await until(() => welcomeRoot(el)?.querySelector('button[type="submit"][aria-disabled="false"]'), 'the welcome form never became ready');
  const form = welcomeRoot(el)!;
  form.querySelector<HTMLInputElement>('#welcome-name')!.value = name;
  form.querySelector<HTMLInputElement>('#welcome-accept')!.checked = true;
  form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('members sign in by email', () => {
  afterEach(() => {
    endSession({ server: env.server, site: site() } as DiscussionContext);
    localStorage.removeItem(key());
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('a plain page: the dialog sends a code, the code signs in, the welcome names the member, and they post', async () => {
    const el = await mountPlain(unique('plain'));
    expect(el.client!.site!.signIn.methods).to.deep.equal(['email']);
    // No company takes part here: no staff entry.
    expect(root(el).querySelector('[data-panel="staff"]')).to.equal(null);

    const email = `mel-${unique('m').slice(-10)}@patients.example`;
    const dialog = await askForMail(el, email);
    expect(dialog.querySelector('dialog')!.open).to.equal(true);
    expect(dialog.querySelector('[data-sent]')!.getAttribute('role')).to.equal('status');
    expect(dialog.querySelector('[data-sent]')!.textContent).to.contain(email);
    // Focus moves to the code field, which is labelled and described.
    expect(dialog.activeElement?.id).to.equal('sign-in-code');

    const { code, body } = await mailTo(email);
    expect(body).to.contain(`${location.origin}${location.pathname}`);

    // A wrong code: the server's words, announced, focus back in the field.
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    dialog.querySelector<HTMLInputElement>('#sign-in-code')!.value = wrong;
    dialog.querySelector<HTMLButtonElement>('[data-code-form] button[type="submit"]')!.click();
    await until(() => dialog.querySelector('#sign-in-error')!.textContent!.includes('not valid'), 'no refusal of the wrong code');
    expect(dialog.querySelector('#sign-in-error')!.getAttribute('role')).to.equal('alert');

    dialog.querySelector<HTMLInputElement>('#sign-in-code')!.value = code;
    dialog.querySelector<HTMLButtonElement>('[data-code-form] button[type="submit"]')!.click();
    await until(() => el.client?.viewer?.needsWelcome === true, 'the code never signed in');
    await until(() => !root(el).querySelector('parley-sign-in'), 'the dialog stayed open');
    expect(localStorage.getItem(key())).to.be.a('string');

    // The welcome: name, the G-2 notice, the house rules.
    await until(() => welcomeRoot(el)?.querySelector('[data-notice]'), 'no welcome form');
    const form = welcomeRoot(el)!;
    expect(form.querySelector('[data-notice]')!.textContent).to.contain('public');
    expect(form.querySelector('[data-notice]')!.textContent).to.contain('Health details are sensitive');
    expect(form.querySelector<HTMLAnchorElement>('a[data-rules]')!.href).to.contain('/rules');
    expect(composer(el)).to.equal(null);
    await welcome(el, 'Mel Member');
    await until(() => composer(el), 'no composer after the welcome');

    // "Posting as" with the name, and Sign out.
    const postingAs = root(el).querySelector('[data-posting-as]')!;
    expect(postingAs.textContent).to.contain('Posting as');
    expect(postingAs.textContent).to.contain('Mel Member');
    expect(postingAs.querySelector('button[data-sign-out]')!.textContent!.trim()).to.equal('Sign out');

    typeInto(composer(el)!.textarea, 'My first message, signed in by email');
    composer(el)!.submit.click();
    await until(() => articleWith(el, 'signed in by email'), 'the post never appeared');
    expect(articleWith(el, 'signed in by email')!.textContent).to.contain('Mel Member');
  });

  it('the link from the mail signs in from #parley-sign-in= and leaves the address bar clean', async () => {
    const topic = unique('link');
    const first = await mountPlain(topic);
    const email = `lou-${unique('l').slice(-10)}@patients.example`;
    await askForMail(first, email);
    first.remove();
    const { token } = await mailTo(email);

    history.replaceState(null, '', `#keep=1&parley-sign-in=${token}`);
    const el = await mountPlain(topic);
    await until(() => el.client?.viewer?.needsWelcome === true, 'the link never signed in');
    expect(location.hash).to.equal('#keep=1');
    await welcome(el, 'Lou Link');
    await until(() => root(el).querySelector('[data-posting-as]')?.textContent?.includes('Lou Link'), 'no "Posting as" line');
  });

  it('Sign out forgets the session, tells the host, and gives focus back to Sign in', async () => {
    const el = await mountPlain(unique('out'));
    const email = `sid-${unique('s').slice(-10)}@patients.example`;
    const dialog = await askForMail(el, email);
    dialog.querySelector<HTMLInputElement>('#sign-in-code')!.value = (await mailTo(email)).code;
    dialog.querySelector<HTMLButtonElement>('[data-code-form] button[type="submit"]')!.click();
    await welcome(el, 'Sid Signout');
    await until(() => root(el).querySelector('button[data-sign-out]'), 'no Sign out button');
    setTimeout(() => root(el).querySelector<HTMLButtonElement>('button[data-sign-out]')!.click());
    const event = await oneEvent(el, 'parley-signed-out');
    expect(event.detail).to.deep.equal({ reason: 'signed-out' });
    await until(() => signInButton(el), 'no Sign in button after signing out');
    expect(localStorage.getItem(key())).to.equal(null);
    await until(() => root(el).activeElement === signInButton(el), 'focus did not return to Sign in');
  });

  it('a host that calls preventDefault() keeps control: it gets the event and no dialog opens', async () => {
    const el = await mountPlain(unique('host'));
    const handler = (e: Event) => e.preventDefault();
    document.addEventListener('parley-sign-in-requested', handler);
    try {
      setTimeout(() => signInButton(el)!.click());
      const event = await oneEvent(el, 'parley-sign-in-requested');
      expect(event.cancelable).to.equal(true);
      await el.updateComplete;
      expect(root(el).querySelector('parley-sign-in')).to.equal(null);
    } finally {
      document.removeEventListener('parley-sign-in-requested', handler);
    }
  });

  it('a host that took over Sign in can still open the widget\'s own dialog with openSignIn(), which shows no empty error', async () => {
    const el = await mountPlain(unique('open'));
    await until(() => signInButton(el), 'no Sign in button');
    expect(el.openSignIn()).to.equal(true);
    await until(() => dialogRoot(el)?.querySelector('dialog[open]'), 'openSignIn() did not open the dialog');
    const dialog = dialogRoot(el)!.querySelector('dialog[open]')!;
    // The alert region is there (so a later error is announced) but shows nothing, not even its icon, until an error.
    const alert = dialogRoot(el)!.querySelector<HTMLElement>('#sign-in-error')!;
    expect(alert.textContent!.trim()).to.equal('');
    expect(getComputedStyle(alert, '::before').content).to.be.oneOf(['none', 'normal']);
    expect(el.openSignIn()).to.equal(true);
    expect(dialog.isConnected, 'calling it again keeps the dialog open').to.equal(true);
  });

  it('Escape closes the dialog and focus returns to Sign in', async () => {
    const el = await mountPlain(unique('esc'));
    signInButton(el)!.click();
    await until(() => dialogRoot(el)?.querySelector('dialog[open]'), 'the dialog never opened');
    // Focus starts in the address field; a real Escape key press closes the modal dialog.
    await until(() => dialogRoot(el)!.activeElement?.id === 'sign-in-email', 'focus did not start in the address field');
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-sign-in'), 'the dialog did not close');
    await until(() => root(el).activeElement === signInButton(el), 'focus did not return to Sign in');
  });

  it('shows a failed OpenID Connect sign-in from #parley-oidc-error= and drops the fragment', async () => {
    history.replaceState(null, '', '#parley-oidc-error=access_denied');
    const el = await mountPlain(unique('oidc-err'));
    await until(() => root(el).querySelector('[data-composer="top"]')?.textContent?.includes('did not work (access_denied)'), 'no message about the failed sign-in');
    await until(() => location.hash === '', 'the fragment stayed in the address bar');
  });

  it('redeems #parley-oidc=<ticket> once at /sign-in/oidc/complete, drops it, and shows a refusal', async () => {
    const ticket = 'T'.repeat(43);
    const asked: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/sign-in/oidc/complete')) asked.push(String(init?.body));
      return realFetch(input, init);
    };
    try {
      history.replaceState(null, '', `#parley-oidc=${ticket}`);
      const el = await mountPlain(unique('oidc'));
      await until(() => asked.length === 1, 'the ticket was never sent');
      expect(JSON.parse(asked[0]!)).to.deep.equal({ ticket });
      await until(() => location.hash === '', 'the ticket stayed in the address bar');
      // No provider is configured on this server: the refusal is shown where the reader signs in.
      await until(() => root(el).querySelector('[data-composer="top"]')?.textContent?.includes('did not work'), 'no message about the refused ticket');
    } finally {
      window.fetch = realFetch;
    }
  });

  it('offers "Sign in with <provider>" when the site offers OpenID Connect, pointing back to this page', async () => {
    const el = await mountPlain(unique('oidc-offer'));
    el.client!.site = { ...el.client!.site!, signIn: { methods: ['email', 'oidc'], oidcName: 'Meadowbrook ID', staff: false } };
    el.requestUpdate();
    await el.updateComplete;
    signInButton(el)!.click();
    await until(() => dialogRoot(el)?.querySelector('button[data-oidc]'), 'no OpenID Connect button');
    expect(dialogRoot(el)!.querySelector('button[data-oidc]')!.textContent!.trim()).to.equal('Sign in with Meadowbrook ID');
    const start = new URL(root(el).querySelector('parley-sign-in')!.oidcStartUrl);
    expect(start.origin + start.pathname).to.equal(`${env.server}/api/sites/${site()}/sign-in/oidc/start`);
    expect(start.searchParams.get('returnUrl')).to.equal(location.href.split('#')[0]);
    await expect(root(el).querySelector('parley-sign-in')!).to.be.accessible();
    dialogRoot(el)!.querySelector<HTMLElement>('[data-close]')!.click();
  });

  it('the dialog (before and after sending), the welcome and the "Posting as" line have no axe violations', async () => {
    const el = await mountPlain(unique('a11y-sign-in'));
    signInButton(el)!.click();
    await until(() => dialogRoot(el)?.querySelector('#sign-in-email'), 'the sign-in dialog never opened');
    await expect(root(el).querySelector('parley-sign-in')!).to.be.accessible();
    const email = `axe-${unique('a').slice(-10)}@patients.example`;
    dialogRoot(el)!.querySelector<HTMLInputElement>('#sign-in-email')!.value = email;
    dialogRoot(el)!.querySelector<HTMLButtonElement>('[data-email-form] button[type="submit"]')!.click();
    await until(() => dialogRoot(el)!.querySelector('[data-sent]'), 'not sent');
    await expect(root(el).querySelector('parley-sign-in')!).to.be.accessible();

    const dialog = dialogRoot(el)!;
    dialog.querySelector<HTMLInputElement>('#sign-in-code')!.value = (await mailTo(email)).code;
    dialog.querySelector<HTMLButtonElement>('[data-code-form] button[type="submit"]')!.click();
    await until(() => welcomeRoot(el)?.querySelector('button[type="submit"][aria-disabled="false"]'), 'no welcome form');
    await expect(el).to.be.accessible();
    await welcome(el, 'Axel Axe');
    await until(() => root(el).querySelector('[data-posting-as]'), 'no "Posting as" line');
    await expect(el).to.be.accessible();
  });
});
