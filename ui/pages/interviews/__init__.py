"""The Interviews step: the list of interviews (``page``), the runner with its timer (``runner``),
one question at a time (``question``) and notes one keystroke away (``notes``)."""
