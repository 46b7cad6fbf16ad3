/** Migration 8: safety routing (issue 6) — pharmacovigilance contacts, products, adverse-event flags, forwards. */
export const SAFETY_MIGRATION = `
  -- (filled in by the safety-routing work)
  SELECT 1;
`;
