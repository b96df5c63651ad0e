"""
Every write of the assessments app, one module per concern: question banks and versions,
attempts, practical sign-off, regrading. Import from the module, e.g.
`from assessments.services.attempts import attempt_start`.
"""
