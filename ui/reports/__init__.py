"""Reports: statutory returns and the performance dashboard."""
