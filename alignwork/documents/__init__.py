"""Step 7, publish: the agreed definition as documents people open.

``facts`` reads everything a document needs once; ``builders`` turn facts into
one ``docmodel.Document``; ``writers`` write it as DOCX, PDF, Markdown or HTML,
and the scoring rules as CSV and JSON, atomically.
"""
