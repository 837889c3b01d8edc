"""Endorsement pages: the chapter's process, the national review, and the public pages."""
