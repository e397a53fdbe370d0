// The pages of the query API: search (/), compare (/compare) and indexing (/indexing). Plain script, no build
// step. Text from the server is only ever set as text (textContent, text nodes), never parsed as HTML.
'use strict';

const TOKEN_KEY = 'agent-brain-token';

/** An element with attributes/properties and children (strings become text nodes). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child);
  }
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

const fmt = (n, digits = 3) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toFixed(digits));
const count = n => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en'));

/** An API error with the server's own words ({"detail": ...}) and its status. */
class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

/** Calls the API with the stored token; answers the JSON body, throws ApiError otherwise. */
async function api(path, body) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = {headers};
  if (body !== undefined) {
    init.method = 'POST';
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'the query API did not answer; is it running?');
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401) tokenNeeded(json.detail);
    throw new ApiError(response.status, json.detail || `request failed (HTTP ${response.status})`);
  }
  return json;
}

/** Counts a region's answers (data-answers), so a reader's tools can tell a new answer from the last. */
function answered(region) {
  region.dataset.answers = String(Number(region.dataset.answers || 0) + 1);
}

function error(message) {
  return el('p', {class: 'error', role: 'alert', text: message});
}

// --- the shared header: navigation and the token field -------------------------------------------------------

const PAGES = [['/', 'Search'], ['/compare', 'Compare backends'], ['/indexing', 'Indexing']];

function header() {
  const here = location.pathname;
  const status = el('span', {class: 'hint', id: 'token-status', 'aria-live': 'polite'});
  const input = el('input', {id: 'token', type: 'password', autocomplete: 'off', placeholder: 'Bearer token'});
  const form = el('form', {id: 'token-form'},
    el('label', {for: 'token', class: 'visually-hidden', text: 'API token'}), input,
    el('button', {type: 'submit', text: 'Use token'}),
    el('button', {type: 'button', class: 'secondary', text: 'Forget', onclick: () => {
      sessionStorage.removeItem(TOKEN_KEY); input.value = ''; showTokenState();
    }}));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const token = input.value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY);
    input.value = '';
    showTokenState();
    document.dispatchEvent(new Event('token-changed'));
  });
  const details = el('details', {class: 'token', id: 'token-box'},
    el('summary', {text: 'API token'}), form, status);
  document.body.prepend(el('header', {},
    el('h1', {text: 'Agent Brain'}),
    el('nav', {'aria-label': 'pages'}, PAGES.map(([href, name]) =>
      el('a', {href, 'aria-current': href === here ? 'page' : undefined, text: name}))),
    details));
  showTokenState();
}

function showTokenState() {
  const status = document.getElementById('token-status');
  status.textContent = sessionStorage.getItem(TOKEN_KEY)
    ? 'A token is set for this tab.' : 'No token set (needed when the API has auth on).';
}

/** A 401: open the token field and say what to do. */
function tokenNeeded(detail) {
  const box = document.getElementById('token-box');
  box.open = true;
  document.getElementById('token-status').textContent =
    `${detail || 'The API needs a token.'} Enter the reader or admin token above.`;
}

// --- query forms ---------------------------------------------------------------------------------------------

const MODES = ['hybrid', 'vector', 'bm25', 'rrf'];

/** Fills the index picker from GET /indexes, keeping the current choice. */
async function fillIndexes(select, wanted) {
  try {
    const answer = await api('/indexes');
    select.replaceChildren(...answer.indexes.map(i => el('option', {value: i.name, text: i.name})));
    if (answer.indexes.length === 0) select.append(el('option', {value: 'docs', text: 'docs (no index yet)'}));
  } catch (e) {
    select.replaceChildren(el('option', {value: wanted || 'docs', text: wanted || 'docs'}));
  }
  if (wanted && [...select.options].some(o => o.value === wanted)) select.value = wanted;
}

function list(value) {
  return value.split(',').map(v => v.trim()).filter(v => v);
}

/** "team=search, year=2024" as the metadata filter {"team": "search", "year": "2024"}. */
function metadata(value) {
  const pairs = list(value).map(p => p.split('=').map(s => s.trim()));
  const bad = pairs.find(p => p.length !== 2 || !p[0]);
  if (bad) throw new ApiError(400, `metadata filter: write key=value pairs separated by commas ('${bad.join('=')}' is not one)`);
  return pairs.length ? Object.fromEntries(pairs) : undefined;
}

/** The form's values into the URL (so a search can be linked and reloaded) and back. */
function toUrl(form, names) {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

function fromUrl(form, names) {
  const params = new URLSearchParams(location.search);
  for (const name of names) if (params.has(name)) form.elements[name].value = params.get(name);
  return params;
}

// --- highlighting --------------------------------------------------------------------------------------------

/** The query's words worth marking: three letters or more, or any number. */
function terms(query) {
  const words = query.toLowerCase().match(/[\p{L}_]{3,}|\p{N}+/gu) || [];
  return [...new Set(words)];
}

/** Text nodes with every word starting with a term marked (<mark>); the text is never read as HTML. */
function highlighted(text, words) {
  if (!words.length) return [document.createTextNode(text)];
  const escaped = words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(${escaped.join('|')})`, 'giu');
  return text.split(pattern).map((part, i) => (i % 2 === 1 ? el('mark', {text: part}) : document.createTextNode(part)));
}

// --- results -------------------------------------------------------------------------------------------------

function parts(hit) {
  const pieces = [];
  const x = hit.explain;
  if (x && x.vector) pieces.push(`vector ${fmt(x.vector.score)} (rank ${x.vector.rank})`);
  else if (hit.vector_score !== null && hit.vector_score !== undefined) pieces.push(`vector ${fmt(hit.vector_score)}`);
  if (x && x.bm25) pieces.push(`BM25 ${fmt(x.bm25.score)} (rank ${x.bm25.rank})`);
  else if (hit.bm25_score !== null && hit.bm25_score !== undefined) pieces.push(`BM25 ${fmt(hit.bm25_score)}`);
  if (x && x.mode && (x.vector || x.bm25)) {
    if (!x.vector) pieces.push('not in the vector ranking');
    if (!x.bm25) pieces.push('not in the BM25 ranking');
  }
  return pieces.join(' · ');
}

/** One hit: source, score and its parts, the text with the query's words marked, a link to the chunk. */
function hitView(hit, rank, words, options = {}) {
  const href = `/query/chunk/${encodeURIComponent(hit.chunk_id)}?index=${encodeURIComponent(options.index)}`
    + (options.backend ? `&backend=${encodeURIComponent(options.backend)}` : '');
  const link = el('a', {href, class: 'open-chunk', text: 'Open the whole chunk',
    onclick: e => { e.preventDefault(); openChunk(hit.chunk_id, options.index, options.backend, words); }});
  const tags = [hit.source_type, hit.language].filter(t => t).map(t => el('span', {class: 'tag', text: t}));
  return el('article', {class: `hit${options.shared ? ' shared' : ''}`, 'data-chunk-id': hit.chunk_id},
    el('div', {class: 'head'},
      el('span', {class: 'meta', text: `#${rank}`}),
      el('span', {class: 'source', text: hit.source}),
      tags,
      options.shared ? el('span', {class: 'tag', text: 'in both'}) : null,
      el('span', {class: 'score', title: 'score', text: fmt(hit.score)})),
    el('div', {class: 'parts', text: parts(hit)}),
    el('div', {class: 'text'}, highlighted(hit.text, words)),
    link);
}

/** The whole chunk, under the results. */
async function openChunk(id, index, backend, words) {
  const panel = document.getElementById('chunk');
  panel.hidden = false;
  panel.replaceChildren(el('p', {class: 'meta', text: 'loading the chunk…'}));
  const params = new URLSearchParams({index});
  if (backend) params.set('backend', backend);
  try {
    const chunk = await api(`/query/chunk/${encodeURIComponent(id)}?${params}`);
    const close = el('button', {type: 'button', class: 'secondary', text: 'Close', onclick: () => { panel.hidden = true; }});
    const title = el('h2', {id: 'chunk-title', tabindex: '-1', text: chunk.source});
    panel.replaceChildren(title,
      el('p', {class: 'meta', text: [chunk.heading_path, `chunk ${chunk.position} of document ${chunk.document_id}`,
        `version ${chunk.document_version}`, `from ${chunk.backend}`].filter(t => t).join(' · ')}),
      el('pre', {}, highlighted(chunk.text, words)),
      close);
    title.focus();
  } catch (e) {
    panel.replaceChildren(error(e.message));
  }
}

// --- the search page -----------------------------------------------------------------------------------------

const SEARCH_FIELDS = ['q', 'index', 'mode', 'top_k', 'source_types', 'languages', 'file_paths', 'metadata'];

async function searchPage() {
  const form = document.getElementById('search');
  const results = document.getElementById('results');
  const params = fromUrl(form, SEARCH_FIELDS.filter(n => n !== 'index'));
  await fillIndexes(form.elements.index, params.get('index'));
  let offset = Number(params.get('offset') || 0);

  async function run() {
    const q = form.elements.q.value.trim();
    if (!q) return;
    toUrl(form, SEARCH_FIELDS);
    const index = form.elements.index.value;
    results.replaceChildren(el('p', {class: 'meta', text: 'searching…'}));
    document.getElementById('chunk').hidden = true;
    let request;
    try {
      request = {
        query: q, index, mode: form.elements.mode.value, top_k: Number(form.elements.top_k.value || 10),
        offset, explain: true,
        source_types: list(form.elements.source_types.value), languages: list(form.elements.languages.value),
        file_paths: list(form.elements.file_paths.value), metadata: metadata(form.elements.metadata.value),
      };
      for (const key of ['source_types', 'languages', 'file_paths']) if (!request[key].length) delete request[key];
      const answer = await api('/query', request);
      const words = terms(q);
      const first = answer.offset + 1;
      results.replaceChildren(...[
        el('p', {class: 'meta', id: 'summary', text: answer.results.length
          ? `Results ${first}–${answer.offset + answer.results.length} from ${answer.backend}, ${answer.mode}, index version ${answer.index_version}, ${answer.query_time_ms.toFixed(1)} ms`
          : `No results from ${answer.backend} (${answer.mode}).`}),
        answer.results.map((hit, i) => hitView(hit, first + i, words, {index})),
        el('div', {class: 'pager'},
          answer.offset > 0 ? el('button', {type: 'button', class: 'secondary', id: 'previous', text: 'Previous page',
            onclick: () => { offset = Math.max(0, answer.offset - request.top_k); run(); }}) : null,
          answer.next_offset !== null && answer.next_offset !== undefined
            ? el('button', {type: 'button', class: 'secondary', id: 'next', text: 'Next page',
              onclick: () => { offset = answer.next_offset; run(); }}) : null)].flat());
    } catch (e) {
      results.replaceChildren(error(e.message));
    }
    answered(results);
  }
  form.addEventListener('submit', e => { e.preventDefault(); offset = 0; run(); });
  document.addEventListener('token-changed', async () => { await fillIndexes(form.elements.index, form.elements.index.value); run(); });
  run();
}

// --- the compare page ----------------------------------------------------------------------------------------

const COMPARE_FIELDS = ['q', 'index', 'mode', 'top_k'];

async function comparePage() {
  const form = document.getElementById('compare');
  const out = document.getElementById('comparison');
  const params = fromUrl(form, COMPARE_FIELDS.filter(n => n !== 'index'));
  await fillIndexes(form.elements.index, params.get('index'));

  async function run() {
    const q = form.elements.q.value.trim();
    if (!q) return;
    toUrl(form, COMPARE_FIELDS);
    const index = form.elements.index.value;
    out.replaceChildren(el('p', {class: 'meta', text: 'asking both backends…'}));
    try {
      const answer = await api('/query/compare', {query: q, index, mode: form.elements.mode.value,
        top_k: Number(form.elements.top_k.value || 10), explain: true});
      const shared = new Set(answer.shared || []);
      const words = terms(q);
      const backends = Object.keys(answer.answers);
      out.replaceChildren(
        el('p', {id: 'agreement', text: answer.rbo === undefined ? 'Only one backend answers here.'
          : `${shared.size} shared results · overlap ${fmt(answer.overlap, 2)} · RBO ${fmt(answer.rbo, 3)} (p = 0.9; primary: ${answer.primary_backend})`}),
        el('div', {class: 'columns'}, backends.map(backend => {
          const a = answer.answers[backend];
          return el('section', {id: `column-${backend}`, 'aria-labelledby': `title-${backend}`},
            el('h2', {id: `title-${backend}`, text: backend === 'postgres' ? 'PostgreSQL + pgvector' : backend === 'chroma' ? 'Chroma' : backend}),
            el('p', {class: 'meta', text: `${a.results.length} results, index version ${a.index_version}, ${a.query_time_ms.toFixed(1)} ms`}),
            a.results.map((hit, i) => hitView(hit, i + 1, words, {index, backend, shared: shared.has(hit.chunk_id)})));
        })));
    } catch (e) {
      out.replaceChildren(error(e.message));
    }
    answered(out);
  }
  form.addEventListener('submit', e => { e.preventDefault(); run(); });
  document.getElementById('refresh-shadow').addEventListener('click', shadowReport);
  document.addEventListener('token-changed', () => { run(); shadowReport(); });
  run();
  shadowReport();
}

/** A line chart of the shadow report's agreement per stretch of time (RBO and overlap, 0 to 1). */
function timelineChart(timeline) {
  const width = 600, height = 200, left = 36, right = 10, top = 10, bottom = 28;
  const svg = svgEl('svg', {class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', id: 'timeline-chart',
    'aria-label': `Agreement over time: ${timeline.length} stretches; latest RBO ${fmt(timeline.at(-1).rbo_mean, 2)}`});
  const times = timeline.map(p => Date.parse(p.from));
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const x = t => left + (t1 === t0 ? (width - left - right) / 2 : (t - t0) / (t1 - t0) * (width - left - right));
  const y = v => top + (1 - v) * (height - top - bottom);
  for (const v of [0, 0.5, 1]) {
    svg.append(svgEl('line', {x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: '#e3e7ea'}));
    const label = svgEl('text', {x: 4, y: y(v) + 4, 'font-size': 11, fill: '#5b6670'});
    label.textContent = v.toFixed(1);
    svg.append(label);
  }
  const series = [['rbo_mean', '#0b5cad', 'RBO'], ['overlap_mean', '#1b7a3d', 'overlap']];
  series.forEach(([key, color, name], i) => {
    const points = timeline.filter(p => p[key] !== null).map(p => [x(Date.parse(p.from)), y(p[key])]);
    if (points.length > 1) {
      svg.append(svgEl('polyline', {points: points.map(p => p.join(',')).join(' '), fill: 'none', stroke: color, 'stroke-width': 2}));
    }
    for (const [cx, cy] of points) svg.append(svgEl('circle', {cx, cy, r: 3, fill: color}));
    const legend = svgEl('text', {x: left + 10 + i * 90, y: height - 8, 'font-size': 12, fill: color});
    legend.textContent = `— ${name}`;
    svg.append(legend);
  });
  const span = svgEl('text', {x: width - right, y: height - 8, 'font-size': 11, fill: '#5b6670', 'text-anchor': 'end'});
  span.textContent = `${new Date(t0).toLocaleTimeString()} – ${new Date(t1).toLocaleTimeString()}`;
  svg.append(span);
  return svg;
}

function rankedList(hits, other) {
  const ids = new Set(other.map(h => h.chunk_id));
  return el('ol', {}, hits.map(h => el('li', {class: ids.has(h.chunk_id) ? 'shared' : undefined},
    `${h.chunk_id} (${fmt(h.score)})`, ids.has(h.chunk_id) ? el('span', {class: 'tag', text: 'in both'}) : null)));
}

async function shadowReport() {
  const out = document.getElementById('shadow');
  try {
    const r = await api('/admin/shadow');
    const timeline = r.timeline || [];
    out.replaceChildren(...[
      el('p', {id: 'shadow-summary', text: `Primary ${r.roles.primary}, shadow ${r.roles.shadow}; ${r.queries.in_window} queries compared `
        + `(${r.queries.failed} failed) at a sample rate of ${r.sample_rate}; overlap mean ${fmt(r.overlap.mean, 2)}, RBO mean ${fmt(r.rbo.mean, 3)}.`}),
      el('h3', {text: 'Agreement over time'}),
      timeline.length ? timelineChart(timeline) : el('p', {class: 'meta', text: 'No query compared yet: the shadow replays a sample of live searches.'}),
      el('h3', {text: 'Per search mode'}),
      el('div', {class: 'scroll'}, el('table', {id: 'by-mode'},
        el('thead', {}, el('tr', {}, ['mode', 'compared', 'failed', 'overlap mean', 'RBO mean', 'RBO p10'].map((h, i) => el('th', {scope: 'col', class: i ? 'num' : undefined, text: h})))),
        el('tbody', {}, Object.entries(r.by_mode).map(([mode, m]) => el('tr', {},
          el('td', {text: mode}), el('td', {class: 'num', text: count(m.compared)}), el('td', {class: 'num', text: count(m.failed)}),
          el('td', {class: 'num', text: fmt(m.overlap_mean, 2)}), el('td', {class: 'num', text: fmt(m.rbo_mean)}), el('td', {class: 'num', text: fmt(m.rbo_p10)})))))),
      el('h3', {text: 'Worst queries'}),
      r.worst_queries.length ? r.worst_queries.map(w => el('details', {class: 'worst'},
        el('summary', {text: `“${w.query}” (${w.mode}, ${w.index}): RBO ${fmt(w.rbo)}, overlap ${fmt(w.overlap, 2)}${w.shadow_error ? `, shadow failed: ${w.shadow_error}` : ''}`}),
        el('div', {class: 'columns'},
          el('section', {}, el('h4', {text: `${w.primary_backend} (primary)`}), rankedList(w.primary, w.shadow)),
          el('section', {}, el('h4', {text: `${w.shadow_backend} (shadow)`}), rankedList(w.shadow, w.primary)))))
        : el('p', {class: 'meta', text: 'None yet.'})].flat());
  } catch (e) {
    out.replaceChildren(error(e.status === 403 ? `${e.message}: the shadow report is for admins.` : e.message));
  }
  answered(out);
}

// --- the indexing page ---------------------------------------------------------------------------------------

const REFRESH_MS = 3000;

function table(id, headings, rows) {
  return el('div', {class: 'scroll'}, el('table', {id},
    el('thead', {}, el('tr', {}, headings.map(([h, numeric]) => el('th', {scope: 'col', class: numeric ? 'num' : undefined, text: h})))),
    el('tbody', {}, rows)));
}

async function indexingPage() {
  const out = document.getElementById('indexing');
  const stamp = document.getElementById('updated');
  async function refresh() {
    try {
      const [list, status, jobs] = await Promise.all([
        api('/indexes'), api('/health/status'), api('/index/jobs').catch(e => ({jobs: null, problem: e.status === 404 ? null : e.message}))]);
      const details = await Promise.all(list.indexes.map(i => api(`/indexes/${encodeURIComponent(i.name)}`).catch(() => i)));
      out.replaceChildren(indexesView(details, list.primary_backend), sinksView(status), jobsView(jobs.jobs, jobs.problem));
      stamp.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${REFRESH_MS / 1000} s.`;
    } catch (e) {
      out.replaceChildren(error(e.message));
    }
  }
  document.addEventListener('token-changed', refresh);
  await refresh();
  setInterval(refresh, REFRESH_MS);
}

function indexesView(indexes, primary) {
  const backends = [...new Set(indexes.flatMap(i => Object.keys(i.chunks || {})))].sort();
  return el('section', {'aria-labelledby': 'indexes-title'},
    el('h2', {id: 'indexes-title', text: `Indexes (queries served by ${primary})`}),
    indexes.length === 0 ? el('p', {class: 'meta', text: 'No index yet: publish documents (agent-brain publish) to make one.'}) :
      table('indexes', [['index'], ['live version', true], ['other versions'], ['contract'], ...backends.map(b => [`chunks in ${b}`, true]), ['state']],
        indexes.map(i => el('tr', {'data-index': i.name},
          el('th', {scope: 'row', text: i.name}),
          el('td', {class: 'num', text: String(i.version)}),
          el('td', {text: (i.versions || []).filter(v => v !== i.version).join(', ') || 'none'}),
          el('td', {text: `${i.provider}/${i.model}, ${i.dimensions} dims, ${i.metric}${i.normalized ? ', normalised' : ''}; chunks of ${i.chunk_max_tokens} tokens (${i.chunk_overlap_tokens} overlap${i.chunk_context ? ", with heading context" : ""}); text search: ${i.text_search_language}`}),
          backends.map(b => el('td', {class: 'num', 'data-backend': b, text: count(i.chunks ? i.chunks[b] : null)})),
          el('td', {class: i.refusal ? 'error' : undefined, text: i.refusal || 'served'})))),
    indexes.filter(i => Array.isArray(i.reindex)).map(reindexView));
}

function reindexView(index) {
  return el('section', {class: 'reindex'},
    el('h3', {text: `Reindex of ${index.name}`}),
    index.reindex.map(r => {
      const done = r.documents_total ? r.documents_done / r.documents_total : 0;
      const text = `version ${r.version} (${r.physical_index}): ${count(r.documents_done)} of ${count(r.documents_total)} log positions`
        + `${r.caught_up ? ', caught up' : r.eta_seconds >= 0 ? `, about ${Math.round(r.eta_seconds)} s left` : ''}`;
      return el('p', {},
        el('progress', {max: 1, value: done, 'aria-label': text}), ` ${text}`,
        el('span', {class: 'meta', text: ` chunks: ${Object.entries(r.chunks).map(([b, n]) => `${b} ${n < 0 ? 'not answering' : count(n)}`).join(', ')}; ${fmt(r.documents_per_second, 1)} documents/s`}));
    }));
}

function sinksView(status) {
  const lag = (status.shadow && status.shadow.write_lag) || {};
  const letters = status.dead_letters;
  const backends = Object.keys(status.backends || {});
  return el('section', {'aria-labelledby': 'sinks-title'},
    el('h2', {id: 'sinks-title', text: 'Sinks'}),
    table('sinks', [['backend'], ['lag (records not written yet)', true], ['keyword index']],
      backends.map(b => el('tr', {'data-backend': b},
        el('th', {scope: 'row', text: b}),
        el('td', {class: 'num', text: lag[b] === undefined ? 'not measured here' : count(lag[b])}),
        el('td', {text: status.keyword_search && status.keyword_search[b]
          ? (status.keyword_search[b].ready ? 'ready' : status.keyword_search[b].detail) : '–'})))),
    lag.problem ? el('p', {class: 'error', text: lag.problem}) : null,
    el('p', {id: 'dead-letters', text: letters
      ? `Dead letters: ${count(letters.total)}${letters.total ? ` (${Object.entries(letters.by_stage).map(([s, n]) => `${s}: ${n}`).join(', ')}); 'agent-brain dlq' lists them` : ''}.`
      : 'Dead letters: not counted by this server.'}),
    letters && letters.problem ? el('p', {class: 'error', text: letters.problem}) : null);
}

function jobsView(jobs, problem) {
  return el('section', {'aria-labelledby': 'jobs-title'},
    el('h2', {id: 'jobs-title', text: 'Jobs'}),
    problem ? error(problem) :
    jobs === null ? el('p', {class: 'meta', text: 'This server runs no indexing jobs.'}) :
      jobs.length === 0 ? el('p', {class: 'meta', text: 'No job yet (POST /index, /index/add).'}) :
        table('jobs', [['job'], ['kind'], ['index'], ['state'], ['files published', true], ['searchable chunks'], ['submitted']],
          jobs.slice().reverse().map(j => el('tr', {},
            el('td', {text: j.id}), el('td', {text: j.request && j.request.kind}), el('td', {text: j.request && j.request.index}),
            el('td', {class: j.state === 'failed' ? 'error' : undefined, text: j.detail ? `${j.state}: ${j.detail}` : j.state}),
            el('td', {class: 'num', text: count(j.files && j.files.published)}),
            el('td', {text: Object.entries(j.chunks_searchable || {}).map(([b, n]) => `${b} ${n}`).join(', ')}),
            el('td', {text: j.submitted_at ? new Date(j.submitted_at).toLocaleTimeString() : ''})))));
}

// --- start ---------------------------------------------------------------------------------------------------

header();
({search: searchPage, compare: comparePage, indexing: indexingPage})[document.body.dataset.page]();
