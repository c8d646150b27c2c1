# Day first, as the admin's date pickers write it; never month first (11/12 is the 11th of
# December in Bastide, whatever the editor's language). ISO dates are always accepted.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"]
