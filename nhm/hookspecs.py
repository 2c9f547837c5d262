"""The nhm plugin contract: one documented spec per hook.

A plugin implements any subset of these hooks with ``@nhm.hookimpl`` (or
``pluggy.HookimplMarker("nhm")``, which is the same marker). An implementation may accept
fewer arguments than the spec names; arguments may be added to a spec later without breaking
plugins, so implementations should only name the arguments they use.

nhm calls every implementation on its own: an exception in one plugin's hook is recorded
against that plugin (``nhm plugins``) and the other plugins' results are still used.

The long-form documentation with examples is ``docs/plugins.md``.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("nhm")
hookimpl = pluggy.HookimplMarker("nhm")

PLUGIN_API_VERSION = 1
"""Raised when a hook is removed or changes incompatibly; plugins may check it."""


@hookspec
def nhm_register_dimensions(register):
    """Contribute maturity dimensions.

    Call ``register(x)`` once per dimension, where ``x`` is an ``nhm.Dimension`` or the path
    (``str`` or ``pathlib.Path``) of a dimension file (YAML or JSON). A relative path is taken
    relative to the folder of the plugin's module. ``register`` validates at once; an invalid
    dimension or a duplicate dimension id is recorded as an error of this plugin and the other
    dimensions still load.
    """


@hookspec(firstresult=True)
def nhm_score_dimension(dimension, responses):
    """Score one dimension instead of the default scorer.

    ``dimension`` is an ``nhm.Dimension``; ``responses`` maps each criterion's short id to
    its ``nhm.Response`` (criteria without an answer are absent). Return ``None`` for
    dimensions you do not score (the default scorer is used), or an ``nhm.DimensionScore``
    (score 0-100 or None, gated level 0-4 or None, coverage 0-1). For a dimension you score,
    return a score for every call, also when ``responses`` is empty: nhm asks with no answers
    to learn which dimensions a plugin scores. The first non-``None`` result wins; an
    unusable result is recorded against the plugin and the default is used.
    """


@hookspec
def nhm_recommendations(dimension, score, responses):
    """Return improvement steps for one dimension.

    Receives the ``nhm.Dimension``, its score and the responses (as for
    ``nhm_score_dimension``). Return a list of ``nhm.Recommendation`` (or ``None`` when the
    plugin has nothing to add). Results of all plugins are combined.
    """


@hookspec
def nhm_check_assessment(assessment, catalog):
    """Check an assessment for consistency before it is submitted.

    Receives the ``nhm.Assessment`` and the ``nhm.Catalog``. Return a list of
    ``nhm.Finding`` (or ``None``). Findings are shown to the user before submitting; they do
    not block submission.
    """


@hookspec
def nhm_register_pages(register):
    """Contribute pages to the app.

    Call ``register(page)`` with an ``nhm.PluginPage``. Pages appear in the app's navigation
    under the plugin's own section. The page's ``render`` function may use Streamlit; the
    plugin module itself should import Streamlit only inside that function so that the CLI
    and tests stay free of it.
    """


@hookspec
def nhm_register_exporters(register):
    """Contribute export formats for assessments.

    Call ``register(exporter)`` with an ``nhm.Exporter``. Exporters are offered as
    downloads wherever an assessment can be exported.
    """
