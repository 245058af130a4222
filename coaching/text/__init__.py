"""What was said: sentiment per utterance, text classifiers, and redaction of card data."""
