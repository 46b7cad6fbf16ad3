/** Storage of edit history (issue 6): every version of a post, kept and public. */
export interface EditStore {}
