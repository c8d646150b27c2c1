"""Text files as spreadsheets and registries export them, decoded strictly."""


def decode_csv_bytes(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets export it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict")
