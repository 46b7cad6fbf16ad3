// Demo only: shows the mail Parley would have sent (GET /demo/api/outbox), so a visitor can
// follow a company staff sign-in link. Text only: message bodies are never parsed as HTML;
// links to this demo site's own pages become clickable.
const list = document.querySelector('#outbox');
const status = document.querySelector('#outbox-status');

function bodyWithLinks(text) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/\S+/g)) {
    fragment.append(text.slice(last, match.index));
    let url = null;
    try {
      url = new URL(match[0]);
    } catch {
      url = null;
    }
    if (url && url.origin === location.origin) {
      const a = document.createElement('a');
      a.href = url.href;
      a.textContent = url.hash.startsWith('#parley-verify=') ? `${url.pathname} — sign in with this link` : url.href;
      fragment.append(a);
    } else {
      fragment.append(match[0]);
    }
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

async function load() {
  status.textContent = 'Loading…';
  let data;
  try {
    const response = await fetch('/demo/api/outbox', { headers: { accept: 'application/json' } });
    data = await response.json();
    if (!response.ok) throw new Error(data.error?.message ?? `HTTP ${response.status}`);
  } catch (error) {
    status.textContent = `The outbox could not be loaded: ${error.message}`;
    return;
  }
  const messages = [...data.messages].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  list.replaceChildren(
    ...messages.map((m) => {
      const item = document.createElement('li');
      const article = document.createElement('article');
      const heading = document.createElement('h2');
      heading.textContent = m.subject;
      const meta = document.createElement('p');
      meta.className = 'outbox-meta';
      const time = document.createElement('time');
      time.dateTime = m.createdAt;
      time.textContent = new Date(m.createdAt).toLocaleString();
      meta.append(`To ${m.recipient} · `, time);
      const body = document.createElement('pre');
      body.className = 'outbox-body';
      body.append(bodyWithLinks(m.body));
      article.append(heading, meta, body);
      item.append(article);
      return item;
    }),
  );
  status.textContent = messages.length
    ? `${messages.length} message${messages.length === 1 ? '' : 's'}, newest first.`
    : 'No mail yet. Ask for a staff sign-in link under a discussion first.';
}

document.querySelector('#outbox-refresh').addEventListener('click', load);
load();
