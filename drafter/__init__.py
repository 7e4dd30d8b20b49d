"""drafter: write, rewrite and check township work-summary reports whose every number is traceable.

The core is a library; ``drafter.cli`` is a thin layer over it. Importing this package is cheap:
heavy stacks (langchain, docx, jieba) are imported inside the functions that need them.
"""

# The one place the version is written: pyproject.toml reads it from here (hatch's version source), so
# the version string costs nothing at start-up — importlib.metadata took ~180 ms of `drafter check`.
__version__ = "0.1.0"

__all__ = ["__version__"]
