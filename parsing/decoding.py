"""Text files as spreadsheets and registries export them, decoded strictly."""


def decode_csv_bytes(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets export it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict")


def csv_rows(reader, unreadable):
    """(line number, row) for each non-blank row of a `csv.reader`. A line the csv module
    cannot read is passed to `unreadable(line, error)` and skipped: the next rows still come."""
    import csv

    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line += 1
            unreadable(line, exc)
            continue
        line = reader.line_num
        if any(cell.strip() for cell in row):
            yield line, row
