// Drives Agent Brain's MCP server with the official MCP TypeScript SDK client, as an agent would, and prints
// what it saw as one JSON object on stdout (McpClientIT asserts on it). Usage:
//   node client.mjs stdio <command> [args...]          e.g. node client.mjs stdio ../../bin/agent-brain mcp
//   node client.mjs http <url> [token]                  e.g. node client.mjs http http://127.0.0.1:8000/mcp s3cret
// Environment: MCP_INDEX (index to search), MCP_QUERY (query text).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [transportName, target, ...rest] = process.argv.slice(2);
const index = process.env.MCP_INDEX;
const query = process.env.MCP_QUERY;

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
const client = await connect(rest[0]);
try {
  report.server = client.getServerVersion();
  report.tools = (await client.listTools(undefined, options)).tools.map((t) => ({
    name: t.name,
    required: t.inputSchema.required ?? [],
    described: typeof t.description === "string" && t.description.length > 20,
  }));
  report.search = structured(
    await client.callTool({ name: "search_documents", arguments: { query, index, top_k: 3 } }, undefined, options),
  );
  report.count = structured(await client.callTool({ name: "query_count", arguments: { index } }, undefined, options));
  const first = report.search.content?.results?.[0];
  if (first) {
    report.explain = structured(
      await client.callTool(
        { name: "explain_result", arguments: { query, index, chunk_id: first.chunk_id } },
        undefined,
        options,
      ),
    );
    const uri = `agentbrain://indexes/${encodeURIComponent(index)}/chunks/${encodeURIComponent(first.chunk_id)}`;
    report.chunk = JSON.parse((await client.readResource({ uri }, options)).contents[0].text);
  }
  report.indexes = JSON.parse((await client.readResource({ uri: "agentbrain://indexes" }, options)).contents[0].text);
  report.badTopK = structured(
    await client.callTool({ name: "search_documents", arguments: { query, index, top_k: 1000 } }, undefined, options),
  );
  report.unknownIndex = structured(
    await client.callTool(
      { name: "search_documents", arguments: { query, index: "no_such_index_here" } },
      undefined,
      options,
    ),
  );
  report.health = structured(await client.callTool({ name: "server_health", arguments: {} }, undefined, options));
} finally {
  await client.close();
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
