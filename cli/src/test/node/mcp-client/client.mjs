// Drives Agent Brain's MCP server with the official MCP TypeScript SDK client, as an agent would, and prints
// what it saw as one JSON object on stdout (McpClientIT asserts on it). Usage:
//   node client.mjs stdio <command> [args...]          e.g. node client.mjs stdio ../../bin/agent-brain mcp
//   node client.mjs http <url> [token]                  e.g. node client.mjs http http://127.0.0.1:8000/mcp s3cret
// Environment: MCP_INDEX (index to search), MCP_QUERY (query text); MCP_FOLDER and MCP_FOLDER_QUERY (a folder to
// index, find with that query, remove, and find no more); MCP_READER_TOKEN (http: a token without admin rights).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [transportName, target, ...rest] = process.argv.slice(2);
const index = process.env.MCP_INDEX;
const query = process.env.MCP_QUERY;
const folder = process.env.MCP_FOLDER; // when set: index_folder, wait_for_job, search, remove_folder, search
const folderQuery = process.env.MCP_FOLDER_QUERY;

function transport(token) {
  if (transportName === "stdio") {
    // the server gets this process's environment (its topic prefix, service addresses); its log goes to our stderr
    return new StdioClientTransport({ command: target, args: rest, env: process.env, stderr: "inherit" });
  }
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  return new StreamableHTTPClientTransport(new URL(target), { requestInit: { headers } });
}

async function connect(token) {
  const client = new Client({ name: "agent-brain-mcp-client-it", version: "1.0.0" });
  await client.connect(transport(token), options);
  return client;
}

function structured(result) {
  return { isError: result.isError === true, content: result.structuredContent, text: result.content?.[0]?.text };
}

// a JVM started on a loaded machine loads its embedding models before it answers: generous per-request timeouts
const options = { timeout: 180_000 };
const report = {};

async function call(client, name, args) {
  return structured(await client.callTool({ name, arguments: args }, undefined, options));
}

/** Waits for a job as an agent does: wait_for_job again while it has not finished. */
async function finished(client, job) {
  for (let round = 0; round < 20; round++) {
    const waited = await call(client, "wait_for_job", { job_id: job.job_id ?? job.id, timeout_seconds: 30 });
    if (waited.isError || ["done", "failed", "cancelled"].includes(waited.content.state)) return waited;
  }
  return { isError: true, text: "the job did not finish in 20 waits" };
}

async function sources(client) {
  const found = await call(client, "search_documents", { query: folderQuery, index, top_k: 10 });
  return (found.content?.results ?? []).map((r) => r.source);
}

async function indexSearchRemove(client) {
  const seen = {};
  const indexed = await call(client, "index_folder", { folder_path: folder, index });
  seen.indexed = indexed;
  seen.indexDone = await finished(client, indexed.content);
  seen.sourcesAfterIndex = await sources(client);
  seen.folders = await call(client, "list_folders", { index });
  const removed = await call(client, "remove_folder", { folder_path: folder, index });
  seen.removed = removed;
  seen.removeDone = await finished(client, removed.content);
  seen.sourcesAfterRemove = await sources(client);
  return seen;
}
const client = await connect(rest[0]);
try {
  report.server = client.getServerVersion();
  report.tools = (await client.listTools(undefined, options)).tools.map((t) => ({
    name: t.name,
    required: t.inputSchema.required ?? [],
    described: typeof t.description === "string" && t.description.length > 20,
  }));
  report.search = await call(client, "search_documents", { query, index, top_k: 3 });
  report.count = await call(client, "query_count", { index });
  const first = report.search.content?.results?.[0];
  if (first) {
    report.explain = await call(client, "explain_result", { query, index, chunk_id: first.chunk_id });
    const uri = `agentbrain://indexes/${encodeURIComponent(index)}/chunks/${encodeURIComponent(first.chunk_id)}`;
    report.chunk = JSON.parse((await client.readResource({ uri }, options)).contents[0].text);
  }
  report.indexes = JSON.parse((await client.readResource({ uri: "agentbrain://indexes" }, options)).contents[0].text);
  report.badTopK = await call(client, "search_documents", { query, index, top_k: 1000 });
  report.unknownIndex = await call(client, "search_documents", { query, index: "no_such_index_here" });
  report.health = await call(client, "server_health", {});
  if (folder) {
    report.folder = await indexSearchRemove(client);
  }
} finally {
  await client.close();
}

if (transportName === "http" && folder && process.env.MCP_READER_TOKEN) {
  // a reader may search but not index: the admin's right, as POST /index
  const reader = await connect(process.env.MCP_READER_TOKEN);
  try {
    report.readerIndexFolder = await call(reader, "index_folder", { folder_path: folder, index });
  } finally {
    await reader.close();
  }
}

if (transportName === "http") {
  // the same server asked without a token: refused before any tool runs
  try {
    const anonymous = await connect(undefined);
    report.withoutToken = { refused: false, tools: (await anonymous.listTools()).tools.length };
    await anonymous.close();
  } catch (error) {
    report.withoutToken = { refused: true, status: error?.code, error: String(error?.message ?? error) };
  }
}

process.stdout.write(JSON.stringify(report) + "\n");
