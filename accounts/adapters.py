"""
How django-allauth behaves here: nobody signs themselves up; people come from HR imports and the
admin. (Single sign-on's adapter is accounts.sso.SocialAccountAdapter.)
"""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


def user_display(user) -> str:
    """How allauth's messages name a person: their name, not the username an import made up."""
    return user.get_full_name() or user.get_username()
