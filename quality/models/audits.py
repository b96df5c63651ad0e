"""Field audits: templates, plans, audits at the outlets, findings and corrective actions."""
