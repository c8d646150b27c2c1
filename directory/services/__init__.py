"""The directory's logic: the import run (imports), what is near (geo), opening hours as
sources write them (hours). Names are compared with parsing.text.name_key."""
