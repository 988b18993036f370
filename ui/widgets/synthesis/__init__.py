"""Synthesis widgets: the group tree with support and consensus, and the conflict and number views."""
