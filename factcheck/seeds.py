"""The bundled sample pair: two articles about the same story, from ``seeds/``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import ArticleLoadError
from .models import Article, ArticleMetadata

#: ``FACTCHECK_SEEDS`` overrides where the seed folder is (for installed copies).
SEEDS_DIR = Path(os.environ.get("FACTCHECK_SEEDS", Path(__file__).resolve().parents[1] / "seeds"))


def seed_paths() -> tuple[Path, Path]:
    paths = sorted(SEEDS_DIR.glob("*.txt"))
    if len(paths) < 2:
        raise ArticleLoadError(str(SEEDS_DIR), "the bundled seed articles are missing")
    return paths[0], paths[1]


def seed_pair() -> tuple[Article, Article]:
    """Articles ``a`` and ``b`` with the titles and facts stated in ``seeds/seeds.json``."""
    from .loading import load_article

    meta_file = SEEDS_DIR / "seeds.json"
    meta = json.loads(meta_file.read_text("utf-8")) if meta_file.exists() else {}
    articles = []
    for article_id, path in zip(("a", "b"), seed_paths(), strict=True):
        article = load_article(path, article_id=article_id)
        facts = meta.get(path.name, {})
        articles.append(
            Article(
                id=article.id,
                title=facts.get("title") or article.title,
                source=article.source,
                text=article.text,
                metadata=ArticleMetadata(
                    author=facts.get("author"),
                    date=facts.get("date"),
                    url=facts.get("url"),
                    site_name=facts.get("site_name"),
                ),
            )
        )
    return articles[0], articles[1]
