"""The bottom layer: the patient profile, the EDSS grid and rules, HCT-CI, closed vocabularies.

Pure: no files, no printing. Every other msstem package may import from here.
"""

from msstem.clinical.profile import MS_COURSES, MsCourse, Profile, parse_profile

__all__ = ["MS_COURSES", "MsCourse", "Profile", "parse_profile"]
