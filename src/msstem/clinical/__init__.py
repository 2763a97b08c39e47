"""Pure clinical scores: the EDSS grid and rules, HCT-CI."""
