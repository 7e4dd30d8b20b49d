"""drafter: write, rewrite and check township work-summary reports whose every number is traceable.

The core is a library; ``drafter.cli`` is a thin layer over it. Importing this package is cheap:
heavy stacks (langchain, docx, jieba) are imported inside the functions that need them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("drafter")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
