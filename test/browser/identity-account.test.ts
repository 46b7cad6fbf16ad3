// The account panel against the real server: renaming (refused when it imitates verified
// staff), downloading one's data, and deleting the account with its confirmation step.
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { fetchPage, mount, restPost, root, sign, signWith, unique, until } from './helpers.js';

async function openAccount(el: ParleyDiscussion): Promise<ShadowRoot> {
  const toggle = root(el).querySelector<HTMLButtonElement>('button[data-panel="account"]')!;
  expect(toggle.textContent!.trim()).to.equal('Your account');
  toggle.click();
  await until(() => root(el).querySelector('parley-account')?.shadowRoot?.querySelector('h2'), 'the account panel never opened');
  expect(toggle.getAttribute('aria-expanded')).to.equal('true');
  return root(el).querySelector('parley-account')!.shadowRoot!;
}

describe('identity: the account panel', () => {
  it('shows who you post as; a member’s rename is refused when it imitates staff, and accepted otherwise', async () => {
    const staffName = `Vera Verified ${unique('n').slice(-6)}`;
    await restPost(await signWith({ name: staffName, affiliation: { company: 'acme', jobTitle: 'MSL' } }), { topic: unique('seed'), body: 'staff exists' });
    const el = await mount({ topic: unique('account'), token: await sign('Milo Member') });
    const panel = await openAccount(el);
    expect(panel.getElementById('account-title')!.textContent).to.equal('Your account');
    expect(panel.querySelector('[data-posting-as]')!.textContent).to.contain('Milo Member');

    const input = panel.querySelector<HTMLInputElement>('#display-name')!;
    expect(panel.querySelector('label[for="display-name"]')!.textContent).to.equal('Display name');
    input.value = staffName;
    panel.querySelector<HTMLButtonElement>('[data-area="name"] button[type="submit"]')!.click();
    await until(() => panel.querySelector('[data-message="name"]'), 'no answer to the rename');
    const refusal = panel.querySelector('[data-message="name"]')!;
    expect(refusal.getAttribute('role')).to.equal('alert');
    expect(refusal.textContent).to.match(/Not done: .*too close to/);

    const fine = `Milo the gardener ${unique('g').slice(-4)}`;
    panel.querySelector<HTMLInputElement>('#display-name')!.value = fine;
    panel.querySelector<HTMLButtonElement>('[data-area="name"] button[type="submit"]')!.click();
    await until(() => panel.querySelector('[data-message="name"][role="status"]'), 'the rename was not confirmed');
    expect(panel.querySelector('[data-message="name"]')!.textContent).to.contain(`Your display name is now “${fine}”`);
  });

  it('staff see their verified company badge and ask an admin for a name change instead', async () => {
    const el = await mount({ topic: unique('account-staff'), token: await signWith({ name: 'Stella Staff', affiliation: { company: 'acme', jobTitle: 'MSL' } }) });
    const panel = await openAccount(el);
    expect(panel.querySelector('[data-posting-as] .badge.staff')!.textContent).to.equal('MSL · Acme Pharma');
    expect(panel.textContent).to.contain('were verified by Parley Browser Tests');
    expect(panel.querySelector('#display-name')).to.equal(null);
    panel.querySelector<HTMLInputElement>('#new-name')!.value = 'Stella Staff-Smith';
    panel.querySelector<HTMLInputElement>('#reason')!.value = 'Married';
    panel.querySelector<HTMLButtonElement>('[data-area="name"] button[type="submit"]')!.click();
    await until(() => panel.querySelector('[data-message="name"]'), 'no answer to the request');
    expect(panel.querySelector('[data-message="name"]')!.textContent).to.contain('A site admin will decide');
  });

  it('downloads the member’s data as a JSON file', async () => {
    const name = `Ezra Export ${unique('n').slice(-6)}`;
    const token = await sign(name);
    const topic = unique('export');
    await restPost(token, { topic, body: 'my exported words' });
    const el = await mount({ topic, token });
    const panel = await openAccount(el);
    setTimeout(() => panel.querySelector<HTMLButtonElement>('button[data-export]')!.click());
    const event = await oneEvent(el, 'parley-data-exported');
    expect(event.detail.fileName).to.match(/^parley-test-my-data\.json$/);
    await until(() => panel.querySelector('a[data-download]'), 'no saved file link');
    const link = panel.querySelector<HTMLAnchorElement>('a[data-download]')!;
    expect(link.href).to.match(/^blob:/);
    expect(link.getAttribute('download')).to.equal('parley-test-my-data.json');
    const data = await (await fetch(link.href)).json();
    expect(data.user.displayName).to.equal(name);
    expect(JSON.stringify(data.posts)).to.contain('my exported words');
    expect(panel.querySelector('[data-message="export"]')!.textContent).to.contain('Your data was downloaded as parley-test-my-data.json');
  });

  it('deletes the account after typing the confirmation, optionally removing the posts', async () => {
    const name = `Dora Delete ${unique('n').slice(-6)}`;
    const token = await sign(name);
    const topic = unique('delete');
    await restPost(token, { topic, body: 'words to forget' });
    const el = await mount({ topic, token });
    const panel = await openAccount(el);
    panel.querySelector<HTMLButtonElement>('button[data-delete-start]')!.click();
    await until(() => panel.querySelector('form[data-delete-form]'), 'no confirmation step');
    const confirm = panel.querySelector<HTMLInputElement>('#confirm')!;
    await until(() => panel.activeElement === confirm, 'the confirmation field did not take focus');
    await sendKeys({ type: 'delete it' });
    panel.querySelector<HTMLButtonElement>('form[data-delete-form] button[type="submit"]')!.click();
    await until(() => panel.querySelector('[data-message="delete"]'), 'no mismatch message');
    expect(panel.querySelector('[data-message="delete"]')!.textContent).to.contain('Type “delete my account” exactly');
    expect(el.client?.viewer?.name).to.equal(name);

    confirm.value = 'delete my account';
    panel.querySelector<HTMLInputElement>('input[name="removePosts"]')!.checked = true;
    setTimeout(() => panel.querySelector<HTMLButtonElement>('form[data-delete-form] button[type="submit"]')!.click());
    const event = await oneEvent(el, 'parley-signed-out');
    expect(event.detail.reason).to.equal('account-deleted');
    await until(() => root(el).querySelector('[data-composer="top"]')?.textContent?.includes('Your account was deleted.'), 'no deletion message');
    expect(root(el).querySelector('parley-account')).to.equal(null);
    const page = await fetchPage(topic);
    expect(page.posts[0]!.status).to.equal('removed');
    expect(JSON.stringify(page)).not.to.contain(name);
  });
});
