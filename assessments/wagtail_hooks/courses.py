"""
The exams' part in the courses app, which sits below this one and cannot import it: a course is
complete only when its exam is passed, and course and track pages show their exams.
"""

from wagtail import hooks

from core import hooks as core_hooks

from ..completion import course_exam_passed, course_page_exam, track_page_exam

hooks.register(core_hooks.COURSE_COMPLETION_CONDITIONS, course_exam_passed)
hooks.register(core_hooks.COURSE_PAGE_CONTEXT, course_page_exam)
hooks.register(core_hooks.TRACK_PAGE_CONTEXT, track_page_exam)
