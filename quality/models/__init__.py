"""
What the quality department (质量监督部门) supervises beyond training: field audits of the
outlets and their findings, and customer satisfaction answered from the counter.
"""

from .audits import *  # noqa: F403
from .rules import *  # noqa: F403
from .snapshots import *  # noqa: F403
from .surveys import *  # noqa: F403
