# Decimal comma; thousands grouped with a narrow no-break space (U+202F), as `core.forms.grouped`
# and the number filters group them, so a number never breaks across lines: "2,5", "10 000".
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
