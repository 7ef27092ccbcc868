"""What a teacher takes away from a run: its transcript and the hidden forces revealed."""
