from alembic import context

from models import register_all
from models.db import make_engine
from models.fund import declare_postgresql_where

target_metadata = register_all()
declare_postgresql_where()


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild a table by copy-and-rename; with foreign keys on, dropping the old
            # copy would cascade-check (and fail on) every row that references it. SQLite ignores this
            # pragma inside a transaction, so it goes to the driver before the migration's BEGIN; the
            # check after the migration puts the guarantee back.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows with dangling references: {broken[:5]}")
    engine.dispose()


run_migrations_online()
