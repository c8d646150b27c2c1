class ImportFileError(Exception):
    """The input as a whole cannot be imported; nothing was written."""
