# The commands people type. Every target is idempotent; services and state live under .agent-brain/
# (AGENT_BRAIN_HOME overrides it). Maven runs with the JDK 21+ that infra/java-home.sh finds.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

MVN := infra/mvn.sh

.PHONY: help up down status build test test-unit run stop clean fmt bench bench-query bench-hnsw bench-scale

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  make %-10s %s\n", $$1, $$2 }'

up: ## install what is missing and start Kafka, the registry, Chroma and PostgreSQL+pgvector
	@infra/services.sh up

down: ## stop the indexer and API, then Kafka, the registry and Chroma (data is kept; the machine's PostgreSQL keeps running)
	@infra/services.sh down

status: ## show each service: state, address, pid, log (fails if one is down)
	@infra/services.sh status

build: ## compile and package everything, tests skipped
	@$(MVN) -q -B -DskipTests install

test: up ## start the services, then run every test, integration tests included
	@$(MVN) -B -ntp verify

test-unit: ## unit tests only; needs no service
	@$(MVN) -B -ntp test -DskipITs

run: ## everything: services, build, indexer, query API, demo corpus published; prints the URL
	@infra/run.sh start

stop: ## stop the indexer and the query API started by 'make run'
	@infra/run.sh stop

clean: ## stop everything, remove build output, the state directory and our databases
	@infra/clean.sh

fmt: ## format the Java code (google-java-format)
	@$(MVN) -q -B spotless:apply

# every benchmark and `make eval` run from the bench module: its classes and its runtime classpath (copied at package)
BENCH_CLASSPATH := bench/target/classes:bench/target/lib/*
BENCH_CORPUS ?= ../shared/data/docs-corpus
bench: build ## index the docs corpus end to end: chunks/s and documents/s beside the model alone (BENCH_ARGS="--limit 500")
	@source infra/lib.sh && ab_export_client_env && java_home="$$(ab_java_home)" && \
	  "$$java_home/bin/java" $$(ab_java_native_opts "$$java_home") $(BENCH_JAVA_OPTS) \
	    -cp "$(BENCH_CLASSPATH)" dev.agentbrain.bench.indexing.IndexingBenchmark \
	    --corpus "$(BENCH_CORPUS)" $(BENCH_ARGS)

bench-hnsw: build ## PostgreSQL HNSW for a large replay: build-first vs load-then-build on the SciFact chunk vectors of `make eval`; writes docs/benchmarks/hnsw-build.{json,md,png} (BENCH_HNSW_ARGS="--workers 1 --memory 1GB")
	@source infra/lib.sh && ab_export_client_env && java_home="$$(ab_java_home)" && \
	  vectors="$${AGENT_BRAIN_HOME:-.agent-brain}/eval/scifact-bge_small_en_v1_5_q.vectors" && \
	  { [ -f "$$vectors" ] || { echo "no $$vectors: run \`make eval\` first" >&2; exit 2; }; } && \
	  "$$java_home/bin/java" $$(ab_java_native_opts "$$java_home") \
	    -cp "$(BENCH_CLASSPATH)" dev.agentbrain.bench.scale.HnswBuildBenchmark \
	    --vectors "$$vectors" $(BENCH_HNSW_ARGS)

bench-scale: build ## search latency at ~10k and 100k chunks of replicated SciFact (text and the vectors of `make eval`), both backends, at the store and through the query API at 1 and 8 clients, and HNSW recall@10 by ef_search; writes docs/benchmarks/scale.{json,md,png} (BENCH_SCALE_ARGS="--sizes 10000,100000,1000000")
	@source infra/lib.sh && ab_export_client_env && java_home="$$(ab_java_home)" && \
	  vectors="$${AGENT_BRAIN_HOME:-.agent-brain}/eval/scifact-bge_small_en_v1_5_q.vectors" && \
	  { [ -f "$$vectors" ] || { echo "no $$vectors: run \`make eval\` first" >&2; exit 2; }; } && \
	  nice "$$java_home/bin/java" $$(ab_java_native_opts "$$java_home") \
	    -cp "$(BENCH_CLASSPATH)" dev.agentbrain.bench.scale.ScaleBenchmark \
	    --vectors "$$vectors" $(BENCH_SCALE_ARGS)

bench-query: build ## the query API under 100 concurrent clients while indexing runs: status counts, p50/p99 (BENCH_QUERY_ARGS="--clients 100 --duration 60")
	@source infra/lib.sh && ab_export_client_env && java_home="$$(ab_java_home)" && \
	  "$$java_home/bin/java" $$(ab_java_native_opts "$$java_home") $(BENCH_JAVA_OPTS) \
	    -cp "$(BENCH_CLASSPATH)" dev.agentbrain.bench.indexing.QueryLoadBenchmark \
	    --corpus "$(BENCH_CORPUS)" $(BENCH_QUERY_ARGS)

.PHONY: eval
BACKEND ?= both
eval: ## retrieval quality on SciFact on both backends (BACKEND=postgres|chroma|both): nDCG@10, recall@100 of bm25, vector, hybrid, rrf; every hybrid normalisation and alpha, rrf k and weight tried on the train split; old vs current API defaults on train and test; writes docs/benchmarks/scifact-fusion.{json,md,png} (EVAL_ARGS="--k1 0.9 --b 0.4")
	@$(MVN) -q -B -DskipTests package -pl bench -am
	@source infra/lib.sh; ab_export_client_env; java_home="$$(ab_java_home)"; \
	  mapfile -t jvm_options < <(ab_java_native_opts "$$java_home"); \
	  "$$java_home/bin/java" "$${jvm_options[@]}" -Xmx2g \
	    -cp "$(BENCH_CLASSPATH)" \
	    dev.agentbrain.bench.eval.RetrievalEvaluation --backend $(BACKEND) $(EVAL_ARGS)
