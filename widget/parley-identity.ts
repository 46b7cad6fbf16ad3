/**
 * The identity chunk, loaded on first use (dynamic import from `<parley-discussion>` and
 * widget/index.ts): the company card, "Who takes part", the account panel, the staff email
 * sign-in, members' own sign-in dialog and welcome (issue 12), and Parley sessions. Kept out of the first-render bundle; importing it defines its
 * elements (the first definition wins).
 */
import { ParleyAccount } from './components/account-panel.js';
import { ParleyCompanyCard } from './components/company-card.js';
import { ParleyParticipants } from './components/participants-panel.js';
import { ParleyStaffSignIn } from './components/staff-sign-in.js';
import { ParleySignIn } from './components/sign-in-dialog.js';
import { ParleyWelcome } from './components/welcome.js';

export { adoptSession, dropLinkFromUrl, endSession, joinSession } from './client/session-registry.js';
export { ParleyAccount, ParleyCompanyCard, ParleyParticipants, ParleySignIn, ParleyStaffSignIn, ParleyWelcome };

for (const [name, element] of [
  ['parley-account', ParleyAccount],
  ['parley-company-card', ParleyCompanyCard],
  ['parley-participants', ParleyParticipants],
  ['parley-staff-sign-in', ParleyStaffSignIn],
  ['parley-sign-in', ParleySignIn],
  ['parley-welcome', ParleyWelcome],
] as const) {
  if (!customElements.get(name)) customElements.define(name, element);
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-account': ParleyAccount;
    'parley-company-card': ParleyCompanyCard;
    'parley-participants': ParleyParticipants;
    'parley-staff-sign-in': ParleyStaffSignIn;
    'parley-sign-in': ParleySignIn;
    'parley-welcome': ParleyWelcome;
  }
}
