"""The assessment of one person: eligibility, risk, options, personal event rates."""

from msstem.decision.profile import MS_COURSES, MsCourse, Profile, load_profile, parse_profile

__all__ = ["MS_COURSES", "MsCourse", "Profile", "load_profile", "parse_profile"]
