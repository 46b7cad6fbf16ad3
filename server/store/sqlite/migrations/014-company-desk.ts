/**
 * Migration (issue 14, task "desk-server"): questions put to a company and the company desk.
 * - `questions`: one row per post addressed to a company; its status, the answer (with the answering
 *   staff member's name, job title and company as on their post) or a moderator's out-of-scope decision.
 * - `question_claims`: "I'm on it" by one of the company's staff, until `expires_at` (at most one per question).
 * - `company_pledges`: a company's proposed and approved public pledge on answering.
 */
export const COMPANY_DESK_MIGRATION = `
  CREATE TABLE questions (
    site TEXT NOT NULL REFERENCES sites(id),
    post_id TEXT NOT NULL,
    company_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'out-of-scope')),
    answer_post_id TEXT,
    answer_author_id TEXT,
    answer_author_name TEXT,
    answer_job_title TEXT,
    answer_company_name TEXT,
    answered_at TEXT,
    out_of_scope_reason TEXT,
    out_of_scope_by TEXT,
    out_of_scope_at TEXT,
    out_of_scope_log_index INTEGER,
    PRIMARY KEY (site, post_id)
  ) STRICT;
  CREATE INDEX questions_by_company ON questions (site, company_id, status, asked_at);
  CREATE INDEX questions_by_answer ON questions (site, answer_post_id) WHERE answer_post_id IS NOT NULL;

  CREATE TABLE question_claims (
    site TEXT NOT NULL REFERENCES sites(id),
    post_id TEXT NOT NULL,
    company_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    since TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (site, post_id)
  ) STRICT;

  CREATE TABLE company_pledges (
    site TEXT NOT NULL REFERENCES sites(id),
    company_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved')),
    text TEXT NOT NULL,
    answer_within_days INTEGER NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    PRIMARY KEY (site, company_id, state)
  ) STRICT;
`;
