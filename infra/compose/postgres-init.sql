-- First start of the compose PostgreSQL: what infra/postgres.sh does on a bare machine.
CREATE EXTENSION IF NOT EXISTS vector;
COMMENT ON DATABASE agentbrain IS 'created by Agent Brain (infra/postgres.sh)';
CREATE DATABASE agentbrain_registry;
COMMENT ON DATABASE agentbrain_registry IS 'created by Agent Brain (infra/postgres.sh)';
