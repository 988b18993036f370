"""What a lead can be scored on: the attribute names and the shape of their values.

``ATTRIBUTES`` are what a lead file's columns map to; ``FIELDS`` are what a rule's
condition can test: the attributes plus what is read from them (the raw e-mail address
and its domain). A condition may also name any other column of the lead file by header.

Kept apart from ``criteria`` (pydantic models) so that the CLI can offer the names
without loading the models.
"""

ATTRIBUTES: dict[str, str] = {
    "industry": "sector from resources/sectors.json (normalised from free text)",
    "employees": "number of employees (int)",
    "revenue_usd": "annual revenue in USD (int)",
    "region": "region from resources/regions.json (e.g. 'North America', 'DACH', 'UK & Ireland')",
    "country": "country name as exported",
    "function": "job function from the title (Marketing, Sales, IT, Finance, …)",
    "seniority": "seniority from the title (C-level, VP/Head, Director, Manager, Individual contributor)",
    "title": "raw job title (for 'contains' rules)",
    "email_type": "business | personal | student | invalid | missing",
    "lead_source": "normalised lead source / activity (demo_request, pricing_page, contact_sales, free_trial, webinar, content_download, event, referral, purchased_list, …)",
    "lifecycle_stage": "lifecycle stage as exported (lower case)",
    "lead_status": "lead status as exported (lower case)",
    "company": "company name as exported (compared without case, punctuation and legal suffixes such as Inc or GmbH)",
    "website": "company website or domain (acme.com, https://www.acme.com/)",
}
FIELDS: dict[str, str] = {
    **ATTRIBUTES,
    "email": "the e-mail address (from the e-mail column)",
    "email_domain": "the e-mail address's domain (from the e-mail column)",
}
NUMERIC_FIELDS = frozenset({"employees", "revenue_usd"})
# what a field is called in rules, documents and exports ("email_type" is a key, not a word)
FIELD_WORDS: dict[str, str] = {
    "industry": "industry", "employees": "employees", "revenue_usd": "annual revenue", "region": "region",
    "country": "country", "function": "job function", "seniority": "seniority", "title": "job title",
    "email_type": "e-mail type", "lead_source": "lead source", "lifecycle_stage": "lifecycle stage",
    "lead_status": "lead status", "company": "company name", "website": "website", "email": "e-mail",
    "email_domain": "e-mail domain",
}
