/**
 * Migration (issue 15, engineer "company-disclosure"): funding disclosures with currency and
 * type, the "company-sponsored" flag, and pharmacovigilance contacts per country and product.
 *
 * Funding entries recorded before this migration had only a year, an amount and a purpose.
 * They get:
 *  - `currency`: the site's `currency` setting (the currency the old summary already showed
 *    them in), or EUR where the site never set one — so no amount changes meaning;
 *  - `type`: 'donation', the kind of support that promises nothing in return; an admin who
 *    knows better (a grant, a sponsorship) corrects it in the editor, which the public log shows;
 *  - `agreementRef`: null (nothing was recorded);
 *  - `addedAt`: the company's last update, the latest moment the entry is known to have existed.
 *
 * Safety contacts gain a scope: `country` (ISO 3166-1 alpha-2) and `product` (a product name
 * from the company's register), '' meaning "any". The table is rebuilt because its key changes;
 * each existing contact becomes its company's default (any country, any product).
 */
export const DISCLOSURE_MIGRATION = `
  ALTER TABLE companies ADD COLUMN sponsored INTEGER NOT NULL DEFAULT 0 CHECK (sponsored IN (0, 1));

  UPDATE companies SET disclosure = json_set(disclosure, '$.funding', (
    SELECT json_group_array(json_set(f.value,
      '$.currency', coalesce((SELECT upper(s.value) FROM site_settings s WHERE s.site = companies.site AND s.key = 'currency'), 'EUR'),
      '$.type', 'donation',
      '$.agreementRef', NULL,
      '$.addedAt', companies.updated_at))
    FROM (SELECT value FROM json_each(companies.disclosure, '$.funding') ORDER BY key) AS f))
  WHERE json_array_length(disclosure, '$.funding') > 0;

  CREATE TABLE safety_contacts_scoped (
    site TEXT NOT NULL REFERENCES sites(id),
    company_id TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',  -- ISO 3166-1 alpha-2, or '' for any country
    product TEXT NOT NULL DEFAULT '',  -- a product name of the company, or '' for any product
    pv_email TEXT,
    pv_webhook_url TEXT,
    webhook_secret TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (site, company_id, country, product),
    CHECK (pv_email IS NOT NULL OR pv_webhook_url IS NOT NULL)
  ) STRICT;
  INSERT INTO safety_contacts_scoped (site, company_id, country, product, pv_email, pv_webhook_url, webhook_secret, updated_at, updated_by)
    SELECT site, company_id, '', '', pv_email, pv_webhook_url, webhook_secret, updated_at, updated_by FROM safety_contacts;
  DROP TABLE safety_contacts;
  ALTER TABLE safety_contacts_scoped RENAME TO safety_contacts;
`;
