"""The parts of bench/serve.py: the processes it runs (processes), the load it puts on them
(load), what it measures inside Django (inprocess) and the targets it checks (targets).

Not named `serving`: `python bench/serve.py` puts bench/ first on sys.path, where a
`serving` package would hide the application's.
"""
