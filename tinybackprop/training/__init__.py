"""Training: the epoch loop (epochs), update rules and schedules (rules), the gradient check."""
