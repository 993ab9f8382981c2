"""factcheck core: articles → claims → matches → annotations. Never imports Qt."""

__version__ = "0.1.0"
