"""Full-text search over cases, contributions, approaches and meetings, always policy-scoped.

`indexing` keeps one `search_documents` row per searchable object in step with it;
`querying` finds what the user may read, with the permission filter inside the
full-text query; `snippets` is what a hit shows. The backend index is in search_ddl.
"""

from community.search.indexing import (
    index_approach,
    index_case,
    index_contribution,
    index_meeting,
    reindex_all,
    remove,
    tags_for,
)
from community.search.querying import (
    MAX_COUNTED,
    MAX_QUERY,
    PERIODS,
    SORTS,
    ResultPage,
    search,
    similar,
    terms,
)
from community.search.snippets import Group, Hit, group_by_case, snippet

__all__ = [
    "MAX_COUNTED",
    "MAX_QUERY",
    "PERIODS",
    "SORTS",
    "Group",
    "Hit",
    "ResultPage",
    "index_approach",
    "index_case",
    "index_contribution",
    "group_by_case",
    "index_meeting",
    "reindex_all",
    "remove",
    "search",
    "similar",
    "snippet",
    "tags_for",
    "terms",
]
