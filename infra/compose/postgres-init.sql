-- First start of the compose PostgreSQL: what infra/postgres.sh does on a bare machine.
CREATE EXTENSION IF NOT EXISTS vector;
COMMENT ON DATABASE agentbrain IS 'created by Agent Brain (infra/postgres.sh)';
CREATE DATABASE agentbrain_registry;
COMMENT ON DATABASE agentbrain_registry IS 'created by Agent Brain (infra/postgres.sh)';
-- the query API's read-only login (pg_ensure_reader in infra/postgres.sh)
CREATE ROLE agentbrain_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION;
COMMENT ON ROLE agentbrain_reader IS 'created by Agent Brain (infra/postgres.sh)';
ALTER ROLE agentbrain_reader SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE agentbrain TO agentbrain_reader;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO agentbrain_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO agentbrain_reader;
