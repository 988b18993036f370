"""The formats and sections a document can be exported in: plain names, no writer loaded,
so that the CLI can list them while building its parser."""

# format → (file extension, description)
FORMATS: dict[str, tuple[str, str]] = {
    "docx": (".docx", "Word document"),
    "pdf": (".pdf", "PDF document"),
    "md": (".md", "Markdown (CommonMark)"),
    "html": (".html", "Web page (one file)"),
    "json": (".json", "Scoring model (JSON)"),
    "rules-csv": (".csv", "Scoring rules (CSV)"),
    "bundle": (".json", "Workshop bundle (JSON)"),
}
DOCUMENT_FORMATS = ("docx", "pdf", "md", "html")

# sections of the agreement, in order, with the titles the export options show
AGREEMENT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("interviewed", "Who was interviewed"),
    ("ideal_company", "Ideal company and persona"),
    ("mql_sql", "MQL and SQL definitions"),
    ("scoring", "Scoring model"),
    ("disqualifiers", "Disqualifiers and reason codes"),
    ("sla", "Service-level agreement"),
    ("glossary", "Glossary"),
    ("risks", "Top risks"),
    ("review", "Review cadence"),
    ("signoff", "Sign-off"),
    ("changes", "Changes since the previous version"),
    ("appendix", "Appendix: evidence and charts"),
)
SECTION_KEYS = tuple(key for key, _ in AGREEMENT_SECTIONS)
