#!/usr/bin/env bash
# Starts the local PostgreSQL, Redis and RabbitMQ when they are not already running (Debian packages).
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
if ! port_open 6379; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
if ! port_open 5672; then
  rabbitmq-server -detached
fi
rabbitmqctl await_startup >/dev/null

for port in 5432 6379 5672; do
  for _ in $(seq 1 60); do port_open "$port" && break; sleep 1; done
  port_open "$port" || { echo "service on port $port did not start" >&2; exit 1; }
done
echo "PostgreSQL, Redis and RabbitMQ are up"
