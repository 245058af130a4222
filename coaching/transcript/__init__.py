"""Words with times: faster-whisper over each party's speech, and the embedded model's files."""
