"""nhm: maturity self-assessment and benchmarks for municipal sustainability management.

The public API for plugin authors is what this module exports.
"""

from importlib.metadata import PackageNotFoundError, version

from nhm.assessment import Assessment, EvidenceStatus, Response
from nhm.contributions import (
    Exporter,
    Finding,
    PluginPage,
    Recommendation,
    RecommendationReason,
    Severity,
)
from nhm.hookspecs import PLUGIN_API_VERSION, hookimpl
from nhm.model import Catalog, Criterion, Dimension, LocalizedText, MaturityLevel
from nhm.scoring import DimensionScore

try:
    __version__ = version("nhm")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "PLUGIN_API_VERSION",
    "Assessment",
    "Catalog",
    "Criterion",
    "Dimension",
    "DimensionScore",
    "EvidenceStatus",
    "Exporter",
    "Finding",
    "LocalizedText",
    "MaturityLevel",
    "PluginPage",
    "Recommendation",
    "RecommendationReason",
    "Response",
    "Severity",
    "__version__",
    "hookimpl",
]
