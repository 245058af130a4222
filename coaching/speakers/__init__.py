"""Who spoke when: stereo channel maps, two-speaker diarization of mono calls, and roles."""
