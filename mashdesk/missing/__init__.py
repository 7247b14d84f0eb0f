"""Missing children: episodes, their three clocks, the return home interview and the director's daily list."""
