"""Call-coaching toolkit."""
