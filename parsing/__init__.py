"""Reading what comes from outside, strictly: XML that can only describe data, text in the
encodings spreadsheets write, and one way of folding French text for comparison.

Plain functions that import nothing of the project's apps: every layer may use them.
"""
