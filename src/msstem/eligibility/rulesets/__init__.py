"""One module per rule set; each exposes ``RULESET``, a :class:`RuleSet`.

Every number a rule set applies is a structured criterion in the evidence data,
named in its ``uses``; :data:`ACTIVITY_USES` are the shared disease-activity
criteria (``definitions.yaml``) the "active MS" readings use.
"""

from typing import Final

#: The shared "recent relapse or MRI activity" criteria, by the local names rules use.
ACTIVITY_USES: Final[dict[str, str]] = {
    "active_relapses": "disease-activity/relapses",
    "mri": "disease-activity/mri-lesions",
}
