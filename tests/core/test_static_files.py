"""Every file a template names with {% static %} exists. The test settings serve static files from
the finders, which render a link to a missing file without complaint; production's manifest
storage raises instead, so one wrong path in base.html fails every page with a server error."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

import tip

STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


def test_every_static_path_in_the_templates_exists() -> None:
    root = Path(tip.__file__).parent
    named = {
        (template.relative_to(root), path)
        for template in root.glob("*/templates/**/*.html")
        for path in STATIC_TAG.findall(template.read_text(encoding="utf-8"))
    }
    assert named, "no {% static %} tag found: the pattern is out of date"
    missing = sorted(f"{template}: {path}" for template, path in named if not finders.find(path))
    assert not missing, missing
