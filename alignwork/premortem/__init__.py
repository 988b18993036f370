"""Step 5, premortem: "six months from now this failed — why?".

Takes the library of known failures (``library``) and the risks the synthesis
raises (``from_synthesis``) and returns the workshop's checklist of risks,
owners and mitigations (``checklist``), through a timed, voted session
(``session``, ``votes``); ``export`` writes the checklist.
"""
