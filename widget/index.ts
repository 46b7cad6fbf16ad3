/**
 * Parley's widget bundle: defines `<parley-discussion>` and `<parley-composer>`.
 * Load it once as a module: `<script type="module" src="https://your-parley/parley.js">`.
 * Defining twice (two copies on one page) is harmless: the first definition wins.
 */
import { ParleyComposer } from './components/parley-composer.js';
import { ParleyDiscussion } from './parley-discussion.js';

export { ParleyComposer, ParleyDiscussion };

for (const [name, element] of [
  ['parley-composer', ParleyComposer],
  ['parley-discussion', ParleyDiscussion],
] as const) {
  if (!customElements.get(name)) customElements.define(name, element);
}

// <parley-audit-log> and the standalone <parley-participants> are loaded on demand, the first
// time one appears on the page: the audit log's verifier (Ed25519, SHA-256, Merkle proofs) and
// the identity chunk stay out of the first-render bundle.
function loadWhenUsed(name: string, load: () => Promise<unknown>): void {
  if (typeof document === 'undefined' || customElements.get(name)) return;
  let loading = false;
  const go = () => {
    if (loading) return;
    loading = true;
    observer.disconnect();
    void load();
  };
  const observer = new MutationObserver(() => {
    if (document.querySelector(name)) go();
  });
  if (document.querySelector(name)) go();
  else observer.observe(document.documentElement, { childList: true, subtree: true });
}
loadWhenUsed('parley-audit-log', () =>
  import('./parley-audit-log.js').then(({ ParleyAuditLog }) => {
    if (!customElements.get('parley-audit-log')) customElements.define('parley-audit-log', ParleyAuditLog);
  }),
);
// The identity chunk defines its elements itself.
loadWhenUsed('parley-participants', () => import('./parley-identity.js'));
// Moderation: the moderators' queue, the public numbers and the rules (each chunk defines its elements).
loadWhenUsed('parley-moderation', () => import('./parley-moderation.js'));
loadWhenUsed('parley-transparency', () => import('./moderation/transparency.js'));
loadWhenUsed('parley-rules', () => import('./moderation/transparency.js'));
// The organisation's console (issue 15): only for admins, never in the first render.
loadWhenUsed('parley-admin', () => import('./parley-admin.js'));
// A company's desk for its staff (issue 14).
loadWhenUsed('parley-company-desk', () => import('./parley-company-desk.js'));
