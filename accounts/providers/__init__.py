"""Single sign-on providers allauth does not ship, each an app: accounts.providers.<id>."""
