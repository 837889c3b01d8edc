"""Pages for people, households, contact history, lists, exports, sharing and erasure."""
