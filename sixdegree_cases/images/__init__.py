"""Images that carry nothing but pixels: re-encoded on upload, stored under a random name."""
