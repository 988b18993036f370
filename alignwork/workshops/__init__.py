"""Step 1, plan: a workshop and its roster of reps.

Takes what the facilitator types or brings (a roster CSV, a workshop bundle)
and returns workshop and participant rows: ``roster_csv`` reads rosters all or
nothing, ``bundle`` imports and exports whole workshops, ``bundle_validate``
checks a bundle and names the exact place of each error.
"""
