// The demo's conversations live on three pages: link log entries to the right one.
const PAGES = { 'living-with-alzheimers': '/', 'new-treatments': '/treatments', 'carers-corner': '/carers' };
customElements.whenDefined('parley-audit-log').then(() => {
  for (const log of document.querySelectorAll('parley-audit-log')) {
    log.threadHref = (topic, post) => (PAGES[topic] ? `${PAGES[topic]}${post ? `#post-${encodeURIComponent(post)}` : ''}` : null);
    log.requestUpdate();
  }
});
