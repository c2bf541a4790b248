"""Documents an office files: the results notice as an official document (GB/T 9704-2012)."""
