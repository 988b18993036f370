"""Premortem widgets: the timed session (``run``, ``phases``), rating and votes (``rating``) and the
checklist of risks, owners and mitigations (``checklist``)."""
