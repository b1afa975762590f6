"""Number formats per language (settings.FORMAT_MODULE_PATH); anything not set here comes from
Django's own locale formats (dates, input formats)."""
