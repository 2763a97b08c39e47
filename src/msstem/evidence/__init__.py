"""The curated, cited evidence base (data files, typed loader, validator)."""
