"""Step 4, define and agree: the lead definition and its versions.

Takes a draft ``Definition`` (``criteria``: criteria, points, thresholds,
reason codes, the contract every later step reads) and returns numbered
versions (``versions``), their differences (``compare``) and their way from
draft through proposed to agreed, with signers, SLA and glossary
(``agreement``).
"""
