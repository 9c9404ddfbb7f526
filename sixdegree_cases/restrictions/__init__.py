"""Password-protected pages and documents: limited guesses, and no page id given away."""
