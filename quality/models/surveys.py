"""Customer satisfaction: the survey a customer answers from the counter poster."""
