"""Step 6, back-test: the definition against a real CRM lead list.

Takes a lead file (``leads``: CSV/XLSX with limits, encodings and line
numbers), maps its columns (``mapping``), reads each lead's attributes
(``attributes``), scores them (``scoring``) and returns conversion, lift and
calibrated thresholds (``run``); ``history`` keeps the runs.
"""
