"""People in the window: the People view, the search-before-create panel, choosing and merging people."""
