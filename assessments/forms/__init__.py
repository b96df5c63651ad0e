"""Forms of the assessments app: practical sign-off on the site, bank files in the admin."""
