#!/usr/bin/env bash
# Start the machine's PostgreSQL and Redis when they are down (tests need both).
set -u
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort | tail -1)" main start || true
  else
    echo "services: PostgreSQL is down and not installed; its tests will skip"
  fi
fi
if ! port_open 6379; then
  if command -v redis-server >/dev/null; then
    echo "services: starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  else
    echo "services: Redis is down and not installed; its tests will skip"
  fi
fi
exit 0
