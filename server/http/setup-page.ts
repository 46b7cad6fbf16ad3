/**
 * The first-run pages (issue 15): plain, accessible HTML served by Parley itself, with one small
 * script and one stylesheet (the Content-Security-Policy allows no inline script or style).
 * Every text a person typed reaches the page through `textContent`, never as markup.
 *
 * - `setupPage()`: the form that creates the first site and invites its first admin.
 * - `refusedSetupPage(message)`: the link cannot be used (unknown, used, expired, already set up).
 * - `acceptPage()`: the invited admin's landing page; the token is in the fragment, so it never
 *   reaches a server log, and the script removes it from the address bar.
 *
 * Each takes the page's language (issue 17: `pickLanguage(?lang, Accept-Language)`); the words are
 * in server/i18n/setup-page.ts, and the script's own sentences travel in a JSON data block (not
 * executed, so the CSP allows it).
 */
import { PAGE_TOKENS_CSS } from '../render/page-css.js';
import { SITE_LIMITS } from '../../moderation/site-schemas.js';
import { directionOf, messages, type ServerLanguage } from '../i18n/index.js';
import { setupPageMessages, type SetupPageKey } from '../i18n/setup-page.js';

export type SetupRefusal = 'unknown' | 'used' | 'expired' | 'done';

const REFUSAL_KEYS: Record<SetupRefusal, SetupPageKey> = {
  unknown: 'refusedUnknown', used: 'refusedUsed', expired: 'refusedExpired', done: 'refusedDone',
};

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The script's sentences, as JSON safe inside a <script> data block. */
function scriptStrings(lang: ServerLanguage): string {
  const entries = Object.entries(setupPageMessages[lang]).filter(([k]) => k.startsWith('js'));
  return JSON.stringify(Object.fromEntries(entries)).replace(/</g, '\\u003c');
}

const head = (lang: ServerLanguage, title: string) => `<!doctype html>
<html lang="${lang}" dir="${directionOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Parley</title>
<link rel="stylesheet" href="/setup/setup.css">
<script type="application/json" id="setup-strings">${scriptStrings(lang)}</script>
<script type="module" src="/setup/setup.js"></script>
</head>`;

export function setupPage(lang: ServerLanguage = 'en'): string {
  const t = messages(setupPageMessages, lang);
  return `${head(lang, t('title'))}
<body>
<main>
<h1 id="title">${t('title')}</h1>
<p>${t('intro')}</p>
<noscript><p class="error">${t('noScript')}</p></noscript>
<form id="setup" novalidate>
  <div id="problems" role="alert"></div>
  <fieldset>
    <legend>${t('siteLegend')}</legend>
    <p class="field">
      <label for="name">${t('name')}</label>
      <input id="name" name="name" required maxlength="${SITE_LIMITS.nameMaxChars}" autocomplete="organization" aria-describedby="name-error">
      <span id="name-error" class="error"></span>
    </p>
    <p class="field">
      <label for="site-id">${t('siteId')}</label>
      <input id="site-id" name="id" required maxlength="40" pattern="[a-z0-9][a-z0-9\\-]{0,39}" autocapitalize="none" spellcheck="false" aria-describedby="site-id-hint site-id-error">
      <span id="site-id-hint" class="hint">${t('siteIdHint')}</span>
      <span id="site-id-error" class="error"></span>
    </p>
    <p class="field">
      <label for="origins">${t('origins')}</label>
      <textarea id="origins" name="origins" rows="3" required spellcheck="false" aria-describedby="origins-hint origins-error"></textarea>
      <span id="origins-hint" class="hint">${t('originsHint')}</span>
      <span id="origins-error" class="error"></span>
    </p>
  </fieldset>
  <fieldset aria-describedby="methods-error">
    <legend>${t('methodsLegend')}</legend>
    <p class="choice"><input type="checkbox" id="method-email" name="methods" value="email" checked>
      <label for="method-email">${t('methodEmail')}</label></p>
    <p class="choice"><input type="checkbox" id="method-host-token" name="methods" value="host-token">
      <label for="method-host-token">${t('methodHostToken')}</label></p>
    <span id="methods-error" class="error"></span>
  </fieldset>
  <fieldset>
    <legend>${t('adminLegend')}</legend>
    <p class="field">
      <label for="admin-email">${t('adminEmail')}</label>
      <input id="admin-email" name="adminEmail" type="email" required maxlength="254" autocomplete="email" aria-describedby="admin-email-hint admin-email-error">
      <span id="admin-email-hint" class="hint">${t('adminEmailHint')}</span>
      <span id="admin-email-error" class="error"></span>
    </p>
  </fieldset>
  <p><button type="submit">${t('submit')}</button></p>
</form>
<section id="done" hidden>
  <h2 id="done-title" tabindex="-1">${t('doneTitle')}</h2>
  <p id="done-invited"></p>
  <div id="done-secret" hidden>
    <p>${t('doneSecret')}</p>
    <p><code id="secret"></code></p>
  </div>
  <p>${t('doneEmbed')}</p>
  <pre><code id="embed"></code></pre>
</section>
</main>
</body>
</html>
`;
}

/** A refusal in the page's language; `hours` is how long a setup link is valid (for "expired"). */
export function refusedSetupPage(reason: SetupRefusal, lang: ServerLanguage = 'en', hours = 24): string {
  const t = messages(setupPageMessages, lang);
  return `${head(lang, t('title'))}
<body>
<main>
<h1>${t('title')}</h1>
<p role="alert">${t(REFUSAL_KEYS[reason], { hours })}</p>
</main>
</body>
</html>
`;
}

export function acceptPage(lang: ServerLanguage = 'en'): string {
  const t = messages(setupPageMessages, lang);
  return `${head(lang, t('acceptTitle'))}
<body>
<main>
<h1>${t('acceptTitle')}</h1>
<p id="accept-status" role="status">${t('accepting')}</p>
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
// The page's sentences in its language (server/i18n/setup-page.ts), filled here as the server would.
const STRINGS = JSON.parse($('setup-strings')?.textContent || '{}');
const t = (key, values = {}) => (STRINGS[key] ?? key).replace(/\\{(\\w+)\\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

async function send(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({ error: { message: t('jsNoAnswer') } }));
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
    const { ok, data } = await send('/api/setup', body).catch(() => ({ ok: false, data: { error: { message: t('jsUnreachable') } } }));
    button.disabled = false;
    if (!ok) return showProblems(data.error ?? {});
    form.hidden = true;
    $('done').hidden = false;
    $('done-invited').textContent = t('jsInvited', { email: data.invited, hours: data.invitationExpiresInHours });
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
    const line = issue.path.startsWith('site.origins.') ? t('jsLine', { line: Number(issue.path.split('.')[2]) + 1 }) : '';
    const note = $(id + '-error');
    note.textContent = (note.textContent ? note.textContent + ' ' : '') + line + issue.message;
    const input = id === 'methods' ? document.querySelector('input[name=methods]') : $(id);
    input.setAttribute('aria-invalid', 'true');
    first ??= input;
  }
  if (!error.issues?.length) general.push(error.message ?? t('jsWrong'));
  $('problems').textContent = general.length ? general.join(' ') : t('jsSeeBeside');
  first?.focus();
}

async function accept(status) {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  // The token works once: keep it out of the address bar, history and bookmarks.
  history.replaceState(null, '', location.pathname);
  const { ok, data } = await send('/api/setup/accept', { token }).catch(() => ({ ok: false, data: { error: { message: t('jsAcceptUnreachable') } } }));
  if (!ok) {
    status.textContent = data.error?.message ?? t('jsAcceptFailed');
    return;
  }
  // Where the widget keeps a session on this server (widget/client/session-key.ts), so the
  // admin console served here finds it.
  try {
    localStorage.setItem('parley-session:' + location.origin + ':' + data.site.id, data.session.refreshToken);
  } catch {}
  status.textContent = t('jsAccepted', { site: data.site.name });
  const link = document.createElement('a');
  link.href = '/admin/' + encodeURIComponent(data.site.id);
  link.textContent = t('jsOpenConsole');
  status.append(link, t('jsToSetUp'));
}

if ($('setup')) setupForm($('setup'));
if ($('accept-status')) void accept($('accept-status'));
`;
