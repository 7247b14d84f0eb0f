"""The strategy screen: the lists (``view``), a discussion's record (``record``) and the pack (``pack_panel``)."""
