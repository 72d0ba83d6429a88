"""Files in and out: the LLR sample, the national rate catalogue, shipped resources (no Qt)."""
