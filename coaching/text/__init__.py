"""Understanding what was said: the embedded encoder, its trained heads, sentiment and labels."""
