"""Every write of the certificates app: issuance, the lifecycle and its daily job, PDF rendering."""
