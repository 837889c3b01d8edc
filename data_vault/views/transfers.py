"""Pages for data in and out: imports (upload, mapping, progress, rejected rows) and whole-vault exports."""
