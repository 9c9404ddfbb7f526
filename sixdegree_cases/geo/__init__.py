"""Geography: parsing editor input, snapping points to coarse places, map assets."""
