"""Step 2, interview: the guide and the interviews run from it.

Takes the workshop's guide and the facilitator's keystrokes and returns stored
answers and notes: ``guide`` (stable question keys, kinds, validation),
``guide_edit`` and ``guide_settings`` (rewording, custom questions, limits),
``flow`` (interview order and resume points), ``autosave`` (the background
writer) and ``kit`` (the printed interview guide).
"""
