"""
The demo's embedded Celery broker: kombu's SQLAlchemy transport on a SQLite file, polled often.

kombu hands every transport option of this transport to SQLAlchemy's create_engine, so the
polling interval cannot be set as an option; it is this subclass's. Selected by the broker URL
scheme `sqlademo+sqlite:///...` (registered in lms/celery.py).
"""

from kombu.transport import sqlalchemy


class Transport(sqlalchemy.Transport):
    # The transport takes one message per poll: at kombu's default of one poll a second, the
    # demo seed's few hundred PDF drawings would keep an auditor's job waiting minutes.
    polling_interval = 0.05
