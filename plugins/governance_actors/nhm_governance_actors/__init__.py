"""Built-in nhm dimension: Steuerungsakteure / governance actors.

The content is data, in dimension.yaml; this module only registers it.
"""

from pathlib import Path

import pluggy

hookimpl = pluggy.HookimplMarker("nhm")


@hookimpl
def nhm_register_dimensions(register):
    register(Path(__file__).with_name("dimension.yaml"))
