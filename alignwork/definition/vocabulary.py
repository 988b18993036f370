"""What a lead can be scored on: the attribute names and the shape of their values.

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
}
