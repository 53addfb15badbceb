/* 客户之声: the customer topics of a period (GET /v1/topics) with readable labels, their
   share of calls against the previous period in words, and masked example sentences. */
"use strict";

(() => {
  const { api, esc, qs, showError, badge, params } = CS;
  const $ = (id) => document.getElementById(id);
  const TREND = { up: ["明显增多", "sev-major"], down: ["明显减少", "kw"], steady: ["无明显变化", "kw"], unknown: ["上期无数据", "kw"] };
  const pct = (x) => (x == null ? "–" : (x * 100).toFixed(1) + "%");
  const iso = (d) => d.toISOString().slice(0, 10);

  function defaults() {
    const p = params();
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
    $("t-from").value = p.get("from") || iso(first);
    $("t-to").value = p.get("to") || iso(last);
    $("t-branch").value = p.get("branch") || "";
  }

  async function load() {
    const q = { from: $("t-from").value, to: $("t-to").value, branch: $("t-branch").value.trim(), max_call_ids: 5 };
    history.replaceState(null, "", "?" + new URLSearchParams(Object.entries(q).filter(([k, v]) => v && k !== "max_call_ids")).toString());
    $("topics").innerHTML = '<div class="loading">分析中…</div>';
    let r;
    try {
      r = await api("/v1/topics" + qs(q));
    } catch (err) { showError($("topics"), err); return; }
    if (!r.topics.length) {
      $("topics").innerHTML = `<p class="muted">${esc(r.from)} 至 ${esc(r.to)} 的客户发言不足以归纳话题（${r.utterances} 句）。</p>`;
      return;
    }
    $("topics").innerHTML = `<p class="small muted">${esc(r.from)} 至 ${esc(r.to)}：${r.calls} 通来电、${r.utterances} 句客户发言，对比 ${esc(r.previous_from)} 至 ${esc(r.previous_to)}（${r.previous_calls} 通）。</p>
      <div class="topic-list">${r.topics.map((t) => {
        const [word, cls] = TREND[t.trend] || TREND.unknown;
        return `<section class="panel topic" data-id="${t.id}"><h2 class="topic-label">${esc(t.label)}</h2>
          <p>${badge(word, cls)} 涉及来电 ${t.calls} 通，占 ${pct(t.call_share)}（上期 ${pct(t.previous_call_share)}）</p>
          <ul class="examples">${t.examples.map((e) => `<li>“${esc(e)}”</li>`).join("")}</ul>
          <p class="small">${t.call_ids.map((id) => `<a href="/ui/calls/${esc(id)}">${esc(id.slice(0, 12))}</a>`).join("、")}</p></section>`;
      }).join("")}</div>`;
  }

  defaults();
  $("topics-form").addEventListener("submit", (e) => { e.preventDefault(); load(); });
  load();
})();
