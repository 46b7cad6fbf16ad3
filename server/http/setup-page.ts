/**
 * The first-run pages (issue 15): plain, accessible HTML served by Parley itself, with one small
 * script and one stylesheet (the Content-Security-Policy allows no inline script or style).
 * Every text a person typed reaches the page through `textContent`, never as markup.
 *
 * - `setupPage()`: the form that creates the first site and invites its first admin.
 * - `refusedSetupPage(message)`: the link cannot be used (unknown, used, expired, already set up).
 * - `acceptPage()`: the invited admin's landing page; the token is in the fragment, so it never
 *   reaches a server log, and the script removes it from the address bar.
 */
import { PAGE_TOKENS_CSS } from '../render/page-css.js';
import { SITE_LIMITS } from '../../moderation/site-schemas.js';

const head = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Parley</title>
<link rel="stylesheet" href="/setup/setup.css">
<script type="module" src="/setup/setup.js"></script>
</head>`;

export function setupPage(): string {
  return `${head('Set up Parley')}
<body>
<main>
<h1 id="title">Set up Parley</h1>
<p>This page creates your organisation's discussion site and invites its first admin. After that, everything is done from the admin console in the browser.</p>
<noscript><p class="error">This page needs JavaScript to send the form.</p></noscript>
<form id="setup" novalidate>
  <div id="problems" role="alert"></div>
  <fieldset>
    <legend>Your site</legend>
    <p class="field">
      <label for="name">Name</label>
      <input id="name" name="name" required maxlength="${SITE_LIMITS.nameMaxChars}" autocomplete="organization" aria-describedby="name-error">
      <span id="name-error" class="error"></span>
    </p>
    <p class="field">
      <label for="site-id">Short id</label>
      <input id="site-id" name="id" required maxlength="40" pattern="[a-z0-9][a-z0-9\\-]{0,39}" autocapitalize="none" spellcheck="false" aria-describedby="site-id-hint site-id-error">
      <span id="site-id-hint" class="hint">Lowercase letters, digits and dashes, like <code>meadowbrook</code>. It appears in the embed code and cannot be changed later.</span>
      <span id="site-id-error" class="error"></span>
    </p>
    <p class="field">
      <label for="origins">Addresses of the pages that will show discussions</label>
      <textarea id="origins" name="origins" rows="3" required spellcheck="false" aria-describedby="origins-hint origins-error"></textarea>
      <span id="origins-hint" class="hint">One per line, only the scheme, host and port, like <code>https://www.example.org</code>. Use https (http only for a test server on localhost).
      <code>https://www.example.org</code> and <code>https://example.org</code> are different: list both if your pages open at both. A port other than the usual one is part of the address.</span>
      <span id="origins-error" class="error"></span>
    </p>
  </fieldset>
  <fieldset aria-describedby="methods-error">
    <legend>How members sign in</legend>
    <p class="choice"><input type="checkbox" id="method-email" name="methods" value="email" checked>
      <label for="method-email">By email: members get a link or a code (no accounts on your website needed)</label></p>
    <p class="choice"><input type="checkbox" id="method-host-token" name="methods" value="host-token">
      <label for="method-host-token">With your website's own accounts (its sign-in gives Parley a signed token; the secret for it is shown once after setup)</label></p>
    <span id="methods-error" class="error"></span>
  </fieldset>
  <fieldset>
    <legend>The first admin</legend>
    <p class="field">
      <label for="admin-email">Email address</label>
      <input id="admin-email" name="adminEmail" type="email" required maxlength="254" autocomplete="email" aria-describedby="admin-email-hint admin-email-error">
      <span id="admin-email-hint" class="hint">We send this person a link, valid 24 hours, that makes them the site's admin.</span>
      <span id="admin-email-error" class="error"></span>
    </p>
  </fieldset>
  <p><button type="submit">Create the site and send the invitation</button></p>
</form>
<section id="done" hidden>
  <h2 id="done-title" tabindex="-1">The site is created</h2>
  <p id="done-invited"></p>
  <div id="done-secret" hidden>
    <p>The secret your website signs members' tokens with. It is shown only now: copy it into your website's configuration.</p>
    <p><code id="secret"></code></p>
  </div>
  <p>To show discussions on a page of your website, add:</p>
  <pre><code id="embed"></code></pre>
</section>
</main>
</body>
</html>
`;
}

export function refusedSetupPage(message: string): string {
  return `${head('Set up Parley')}
<body>
<main>
<h1>Set up Parley</h1>
<p role="alert">${message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p>
</main>
</body>
</html>
`;
}

export function acceptPage(): string {
  return `${head('Accept the invitation')}
<body>
<main>
<h1>Accept the invitation</h1>
<p id="accept-status" role="status">Accepting the invitation…</p>
</main>
</body>
</html>
`;
}

/** The widget's tokens (server/render/page-css.ts) plus the form's own layout. */
export const SETUP_CSS = `${PAGE_TOKENS_CSS}body{margin:0}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}
fieldset{border:1px solid var(--p-border);border-radius:var(--p-radius);margin:0 0 1.5rem;padding:1rem}
legend{font-weight:600;padding:0 .25rem}
.field label{display:block;font-weight:600}
.field input,.field textarea{display:block;width:100%;box-sizing:border-box;padding:.4rem}
.hint{display:block;color:var(--p-muted);font-size:.9rem}
.error{display:block;color:var(--p-danger);font-weight:600}
.error:empty{display:none}
#problems:empty{display:none}
#problems{border:2px solid var(--p-danger);border-radius:var(--p-radius);padding:.5rem 1rem;margin-bottom:1rem}
[aria-invalid=true]{border:2px solid var(--p-danger)}
button{padding:.5rem 1rem}
code{overflow-wrap:anywhere}
pre{white-space:pre-wrap;padding:.5rem}
`;

/** The pages' script: sends the form as JSON and shows each refusal beside its field. */
export const SETUP_JS = `const FIELDS = [
  ['site.name', 'name'], ['site.id', 'site-id'], ['site.origins', 'origins'], ['site.signIn', 'methods'], ['adminEmail', 'admin-email'],
];
const $ = (id) => document.getElementById(id);

async function send(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({ error: { message: 'The server did not answer. Try again.' } }));
  return { ok: response.ok, data };
}

function setupForm(form) {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const [, id] of FIELDS) {
      $(id + '-error').textContent = '';
      $(id)?.removeAttribute('aria-invalid');
    }
    $('problems').textContent = '';
    const methods = [...form.querySelectorAll('input[name=methods]:checked')].map((box) => box.value);
    const body = {
      token,
      site: {
        id: $('site-id').value.trim(), name: $('name').value,
        origins: $('origins').value.split(/\\s+/).filter(Boolean), signIn: { methods },
      },
      adminEmail: $('admin-email').value.trim(),
    };
    const button = form.querySelector('button');
    button.disabled = true;
    const { ok, data } = await send('/api/setup', body).catch(() => ({ ok: false, data: { error: { message: 'The server could not be reached. Try again.' } } }));
    button.disabled = false;
    if (!ok) return showProblems(data.error ?? {});
    form.hidden = true;
    $('done').hidden = false;
    $('done-invited').textContent = 'An invitation was sent to ' + data.invited + '. The link in it is valid ' + data.invitationExpiresInHours + ' hours.';
    if (data.secret) {
      $('done-secret').hidden = false;
      $('secret').textContent = data.secret;
    }
    $('embed').textContent = '<script type="module" src="' + location.origin + '/parley.js"></' + 'script>\\n<parley-discussion site="' + data.site.id + '" topic="a-page-id"></parley-discussion>';
    $('done-title').focus();
  });
}

function showProblems(error) {
  let first = null;
  const general = [];
  for (const issue of error.issues ?? []) {
    const field = FIELDS.find(([path]) => issue.path === path || issue.path.startsWith(path + '.'));
    if (!field) { general.push(issue.message); continue; }
    const [, id] = field;
    const line = issue.path.startsWith('site.origins.') ? 'Line ' + (Number(issue.path.split('.')[2]) + 1) + ': ' : '';
    const note = $(id + '-error');
    note.textContent = (note.textContent ? note.textContent + ' ' : '') + line + issue.message;
    const input = id === 'methods' ? document.querySelector('input[name=methods]') : $(id);
    input.setAttribute('aria-invalid', 'true');
    first ??= input;
  }
  if (!error.issues?.length) general.push(error.message ?? 'Something went wrong.');
  $('problems').textContent = general.length ? general.join(' ') : 'Some answers need another look: see the messages beside them.';
  first?.focus();
}

async function accept(status) {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  // The token works once: keep it out of the address bar, history and bookmarks.
  history.replaceState(null, '', location.pathname);
  const { ok, data } = await send('/api/setup/accept', { token }).catch(() => ({ ok: false, data: { error: { message: 'The server could not be reached. Reload to try again.' } } }));
  if (!ok) {
    status.textContent = data.error?.message ?? 'The invitation could not be accepted.';
    return;
  }
  // Where the widget keeps a session on this server (widget/client/session-key.ts), so the
  // admin console served here finds it.
  try {
    localStorage.setItem('parley-session:' + location.origin + ':' + data.site.id, data.session.refreshToken);
  } catch {}
  status.textContent = 'You are now the admin of ' + data.site.name + ', signed in on this browser. ';
  const link = document.createElement('a');
  link.href = '/admin/' + encodeURIComponent(data.site.id);
  link.textContent = 'Open the admin console';
  status.append(link, ' to choose your name and set up the site.');
}

if ($('setup')) setupForm($('setup'));
if ($('accept-status')) void accept($('accept-status'));
`;
