"""What was said: the embedded encoder and its trained heads, sentiment per utterance,
transformers text classifiers, and redaction of card data."""
