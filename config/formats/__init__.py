"""Per-language overrides of Django's formats (FORMAT_MODULE_PATH): the admin's date pickers
write day-first dates (config/settings/admin_language.py), which every language must read."""
