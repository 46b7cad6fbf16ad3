// The host page's own code: the demo-only one-click sign-in. A real patient organisation
// signs its members in itself and hands the widget a short-lived token with setToken().
const KEY = 'parley-demo-token';

async function signIn(persona) {
  const response = await fetch('/demo/api/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error?.message ?? 'Sign-in failed');
  sessionStorage.setItem(KEY, JSON.stringify({ token: body.token, persona: body.persona, expires: Date.now() + body.expiresIn * 1000 }));
  return body;
}

function current() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    return saved && saved.expires > Date.now() + 60_000 ? saved : null;
  } catch {
    return null;
  }
}

/**
 * A host hands the widget a fresh token before the old one expires: the widget's open
 * connection takes it without reconnecting, and stops writing once a token has expired.
 */
let renewal;
function scheduleRenewal() {
  clearTimeout(renewal);
  const saved = current();
  if (!saved) return;
  renewal = setTimeout(async () => {
    if (current()?.persona.key !== saved.persona.key) return;
    try {
      applyToken((await signIn(saved.persona.key)).token);
    } catch {
      // The demo server is gone: the widget shows the reader signed out when the token expires.
    }
    scheduleRenewal();
  }, Math.max(5_000, saved.expires - Date.now() - 2 * 60_000));
}

function applyToken(token) {
  if (token) scheduleRenewal();
  else clearTimeout(renewal);
  for (const element of document.querySelectorAll('parley-discussion, parley-company-desk')) {
    if (typeof element.setToken === 'function') element.setToken(token);
    else element.token = token;
  }
}

async function render() {
  const box = document.querySelector('#signin');
  if (!box) return;
  const status = box.querySelector('.status');
  const list = box.querySelector('.personas');
  let personas = [];
  try {
    const response = await fetch('/demo/api/personas');
    personas = (await response.json()).personas;
  } catch {
    status.textContent = 'Could not load the demo personas. Is the server running?';
    return;
  }
  const draw = () => {
    const saved = current();
    list.replaceChildren(
      ...personas.map((p) => {
        const button = document.createElement('button');
        button.type = 'button';
        // The role is on the button, not in a tooltip that touch screens and keyboards never show.
        const name = document.createElement('span');
        name.className = 'persona-name';
        name.textContent = p.name;
        button.append(name);
        button.setAttribute('aria-pressed', String(saved?.persona.key === p.key));
        button.addEventListener('click', async () => {
          status.textContent = `Signing in as ${p.name}…`;
          try {
            const result = await signIn(p.key);
            applyToken(result.token);
            status.textContent = `Signed in as ${p.name} — ${p.description}.`;
          } catch (error) {
            status.textContent = error.message;
          }
          draw();
        });
        const description = document.createElement('span');
        description.className = 'persona-role';
        description.textContent = p.description;
        button.append(description);
        return button;
      }),
    );
    const byEmail = document.createElement('button');
    byEmail.type = 'button';
    byEmail.className = 'link';
    byEmail.textContent = 'Or sign in by email, as a member of a real site would (any address @meadowbrook.example; the mail lands in the Outbox page)';
    byEmail.addEventListener('click', () => {
      const discussion = document.querySelector('parley-discussion');
      if (!discussion?.openSignIn?.()) status.textContent = 'This page has no discussion to sign in to.';
      else discussion.scrollIntoView({ block: 'start' });
    });
    list.append(byEmail);
    if (saved) {
      const out = document.createElement('button');
      out.type = 'button';
      out.textContent = 'Sign out';
      out.addEventListener('click', () => {
        sessionStorage.removeItem(KEY);
        applyToken(null);
        status.textContent = 'Signed out. You can still read everything.';
        draw();
      });
      list.append(out);
    }
  };
  draw();
  const saved = current();
  if (saved) {
    status.textContent = `Signed in as ${saved.persona.name}.`;
    await customElements.whenDefined(document.querySelector('parley-discussion') ? 'parley-discussion' : 'parley-company-desk');
    applyToken(saved.token);
  }
}

// The demo signs people in with its personas: take over the widget's "Sign in" and point at them.
// The demo site also offers email sign-in, as a real site without accounts would: a link below the
// personas opens the widget's own dialog (the mail lands in the Outbox page).
document.addEventListener('parley-sign-in-requested', (event) => {
  event.preventDefault();
  document.querySelector('#signin button')?.focus();
});
// The reader deleted their account or signed out everywhere in the widget: end the demo sign-in too.
document.addEventListener('parley-signed-out', () => {
  if (!current()) return;
  sessionStorage.removeItem(KEY);
  applyToken(null);
  render();
});
render();
