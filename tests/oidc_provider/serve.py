"""
Run the test provider: `python -m tests.oidc_provider.serve`, with OIDC_PROVIDER_DB,
OIDC_PROVIDER_PEOPLE and OIDC_PROVIDER_CLIENT (JSON: id, secret, redirect_uri) in the
environment. It migrates its database, registers its people and the client, listens on a free
loopback port and prints "listening on <port>" once it answers.
"""

import json
import os
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def _seed():
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    for person in settings.OIDC_PROVIDER_PEOPLE:
        user = get_user_model().objects.create_user(
            username=person["username"], password=person["password"]
        )
        email = person.get("claims", {}).get("email")
        if email:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client = json.loads(os.environ["OIDC_PROVIDER_CLIENT"])
    Client.objects.create(
        id=client["id"],
        name="Service Network Academy",
        secret=make_password(client["secret"]),
        scopes="openid\nprofile\nemail",
        redirect_uris=client["redirect_uri"],
        type=Client.Type.CONFIDENTIAL,
    )


def main():
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    _seed()
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler
    )
    print(f"listening on {server.server_port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
