"""Step 3, synthesize: finished interviews in, a draft lead definition out.

``normalize``, ``ranges``, ``textmatch`` and ``tag_groups`` read free answers
(titles, industries, sizes, regions, tags) into comparable values and groups;
``groups``, ``conflicts`` and ``numbers`` measure support, agreement and
conflict; ``draft`` turns them into a ``Definition``; ``corrections`` keeps the
facilitator's merges, splits and renames; ``engine`` runs the whole step
(``synthesize``, ``synthesize_workshop``, ``synthesize_bundle``).
"""
