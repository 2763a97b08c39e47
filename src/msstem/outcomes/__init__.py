"""Longitudinal outcome analytics: progression events, NEDA-3, relapse rates, survival."""
