"""The directory's logic: the import run (imports), what is near (geo), opening hours as
sources write them (hours), accent folding for matching names (text)."""
