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

// <parley-audit-log> is loaded on demand, the first time one appears on the page: its verifier
// (Ed25519, SHA-256, Merkle proofs) stays out of the first-render bundle.
function loadAuditLogWhenUsed(): void {
  if (typeof document === 'undefined' || customElements.get('parley-audit-log')) return;
  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    observer.disconnect();
    void import('./parley-audit-log.js').then(({ ParleyAuditLog }) => {
      if (!customElements.get('parley-audit-log')) customElements.define('parley-audit-log', ParleyAuditLog);
    });
  };
  const observer = new MutationObserver(() => {
    if (document.querySelector('parley-audit-log')) load();
  });
  if (document.querySelector('parley-audit-log')) load();
  else observer.observe(document.documentElement, { childList: true, subtree: true });
}
loadAuditLogWhenUsed();
