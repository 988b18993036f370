"""Step 9, the loop after agreement: the monthly review of how the definition is doing.

``columns`` finds a period file's review columns (status, rejection reason, owner,
timestamps) beside the back-test's attribute mapping; ``metrics`` computes the key
metrics, the same every month; ``findings`` reads what the returned and the won leads
say about the definition and proposes changes; ``proposals`` turns an accepted proposal
into an edit of a new working draft; ``periods`` keeps the periods and what each
meeting aired and decided; ``meeting`` dates the next review from the agreed cadence.
"""
