"""One module per rule set; each exposes ``RULESET``, a :class:`RuleSet`."""
