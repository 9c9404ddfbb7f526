"""The read-only public API: Wagtail API v2 pages and the journey as GeoJSON."""
