"""The daily MASH meeting: the agenda assembled from the capabilities' sources, the meeting held item by item,
the minutes (locked at close, with addenda), actions for people, agencies and schools, and their notices."""
