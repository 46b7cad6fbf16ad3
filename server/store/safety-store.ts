/** Storage of safety routing (issue 6): pharmacovigilance contacts, products, flags, forwards, deliveries. */
export interface SafetyStore {}
