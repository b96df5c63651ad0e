from django.dispatch import Signal

# Sent inside the writing transaction when people are created, moved, change role, leave or
# come back, with `staff_ids`. Higher apps (training enrolment) listen; this app never imports
# them.
staff_changed = Signal()
