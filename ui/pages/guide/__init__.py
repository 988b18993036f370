"""The Guide step: the questions in order (``page``) and their limits and options (``settings``)."""
