"""Every write of compliance: monthly snapshots, export jobs and the monthly report e-mails."""
