"""Pages of the field operation, under /c/<chapter>/canvass/."""
