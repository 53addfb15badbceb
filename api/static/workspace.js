/* The QA workspace pages: transcript search (highlighted hits, filters in the URL),
   rule precision, calibration sessions with agreement per rule. */
"use strict";

(() => {
  const { api, esc, qs, clock, dt, label, showError, badge, params, ME, dayBound } = CS;
  const page = document.body.dataset.page;
  const form = document.getElementById("filters");
  let titles = {};

  async function ruleTitles() {  // rule id -> title: people read titles, never ids
    if (ME.role !== "qa" && ME.role !== "admin") return;
    try { titles = Object.fromEntries((await api("/v1/rules")).rules.map((r) => [r.id, r.title])); } catch (err) { titles = {}; }
  }
  const title = (rule) => (rule === "*" ? "全部规则" : titles[rule] || "（已停用的规则）");

  function fillForm() {
    if (!form) return;
    const p = params();
    for (const el of form.elements) if (el.name && p.has(el.name)) el.value = p.get(el.name);
  }
  function formQuery() {
    const out = {};
    for (const el of form.elements) if (el.name && el.value) out[el.name] = el.value;
    return qs(out);
  }
  if (form) {
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      history.pushState(null, "", location.pathname + formQuery());
      load();
    });
    window.addEventListener("popstate", () => { fillForm(); load(); });
  }

  async function fillBranches() {
    const sel = document.getElementById("f-branch");
    if (!sel) return;
    try {
      const rows = await api("/v1/branches");
      sel.insertAdjacentHTML("beforeend", rows.map((b) => `<option value="${esc(b.name)}">${esc(b.name)}</option>`).join(""));
      fillForm();
    } catch (err) { /* searching works without the branch picker */ }
  }

  function marked(text, spans) {
    let out = "";
    let pos = 0;
    for (const [a, b] of spans || []) {
      out += esc(text.slice(pos, a)) + `<mark class="hit">${esc(text.slice(a, b))}</mark>`;
      pos = b;
    }
    return out + esc(text.slice(pos));
  }

  let searchSeq = 0;
  async function loadSearch() {
    const box = document.getElementById("search-results");
    const p = params();
    const seq = ++searchSeq;  // an older, slower search must not overwrite a newer one
    const q = (p.get("q") || "").trim();
    if (!q) { box.innerHTML = ""; return; }
    box.innerHTML = '<div class="loading">搜索中…</div>';
    try {
      const data = await api("/v1/search" + qs({ q, branch: p.get("branch"), agent: p.get("agent"), speaker: p.get("speaker"),
        from: dayBound(p.get("from")), to: dayBound(p.get("to"), true), limit: 200 }));
      if (seq !== searchSeq) return;
      const calls = new Set(data.hits.map((h) => h.call_id));
      document.getElementById("search-summary").textContent = data.hits.length
        ? `“${q}”：${calls.size} 通通话中 ${data.hits.length} 处命中${data.hits.length >= 200 ? "（仅显示前 200 处）" : ""}`
        : `“${q}”：没有命中`;
      const claim = document.getElementById("claim-hits");
      if (claim) {  // search, then review: the hit calls join the queue (as 人工加入) assigned to me
        claim.hidden = !calls.size;
        claim.textContent = `领取命中通话（${calls.size}）`;
        claim.onclick = async () => {
          try {
            const out = await api("/v1/review/assignments", { method: "POST", body: { call_ids: [...calls] } });
            CS.toast(`已领取 ${out.items.length} 通，见质检队列`);
          } catch (err) { CS.toast(CS.errorText(err), "err"); }
        };
      }
      box.innerHTML = data.hits.map((h) => `<div class="searchhit">
          <div class="small"><a class="hitlink" href="/ui/calls/${esc(h.call_id)}?t=${h.start}">${esc(h.call_id.slice(0, 12))} · ${clock(h.start)}</a>
          <span class="muted">${esc(h.branch || "–")} · ${esc(h.agent || "–")} · ${dt(h.started_at)}</span>
          ${badge(label("speaker", h.speaker), "kw")}</div>
          <p class="hittext">${marked(h.text, h.highlights)}</p></div>`).join("") ||
        '<p class="muted">没有符合条件的转写。试试更短的词，或去掉筛选条件。</p>';
    } catch (err) { showError(box, err); }
  }

  async function loadPrecision() {
    const box = document.getElementById("precision-table");
    const p = params();
    try {
      const data = await api("/v1/review/rule-precision" + qs({ from: dayBound(p.get("from")), to: dayBound(p.get("to"), true) }));
      const rows = data.rules.slice().sort((a, b) => (a.precision ?? 2) - (b.precision ?? 2));
      box.innerHTML = rows.length ? `<table class="grid" id="precision"><thead><tr><th>规则</th><th class="num">已审核</th><th class="num">确认</th>
        <th class="num">驳回</th><th>准确率</th></tr></thead><tbody>${rows.map((r) => {
          const pct = r.precision == null ? null : Math.round(r.precision * 100);
          const few = r.reviewed < 10 ? ' <span class="small muted">（样本少，仅供参考）</span>' : "";
          return `<tr data-rule="${esc(r.rule)}"><td>${esc(r.title || title(r.rule))}</td><td class="num">${r.reviewed}</td>
            <td class="num">${r.confirmed}</td><td class="num">${r.dismissed}</td>
            <td>${pct == null ? "–" : `<span class="bar ${pct < 70 ? "low" : ""}" style="width:${Math.max(2, pct)}px"></span> ${pct}%`}${few}</td></tr>`;
        }).join("")}</tbody></table>` : '<p class="muted">该时段没有审核结论。</p>';
    } catch (err) { showError(box, err); }
  }

  function kappaText(a) {
    if (!a.items) return "暂无（需每位参与人都给出结论）";
    const k = a.kappa;
    if (k == null) return a.observed === 1 ? "完全一致（评分全相同，κ 无定义）" : "无法计算";
    return `${k.toFixed(2)} ${k >= 0.6 ? "一致性良好" : k >= 0.4 ? "一致性一般" : "一致性差"}`;
  }

  async function showCalibration(id, names) {
    const box = document.getElementById("calibration-detail");
    box.hidden = false;
    box.innerHTML = '<div class="loading">加载中…</div>';
    try {
      const c = await api(`/v1/review/calibrations/${id}`);
      const who = (uid) => names[uid] || `#${uid}`;
      const agree = (c.agreement || []).map((a) => `<tr><td>${esc(title(a.rule))}</td><td class="num">${a.items}</td>
        <td class="num">${a.observed == null ? "–" : Math.round(a.observed * 100) + "%"}</td>
        <td class="${(a.kappa != null && a.kappa >= 0.6) || a.observed === 1 ? "kappa-good" : a.items ? "kappa-bad" : "muted"}">${esc(kappaText(a))}</td></tr>`).join("");
      // A member rates each item blind here (calibration verdicts never touch the live finding).
      const voting = c.status === "open" && c.reviewer_ids.includes(ME.id);
      const vote = (it) => {
        const mine = (it.verdicts.find((v) => v.reviewer_id === ME.id) || {}).verdict;
        return ["confirmed", "dismissed"].map((v) => `<button type="button" class="btn btn-sm cal-vote ${mine === v ? "btn-primary" : ""}"
          data-fid="${it.finding_id}" data-v="${v}" aria-pressed="${mine === v}">${v === "confirmed" ? "确认违规" : "驳回误报"}</button>`).join(" ");
      };
      const items = c.items.map((it) => `<tr data-fid="${it.finding_id}"><td><a href="/ui/calls/${esc(it.call_id)}">${esc(it.call_id.slice(0, 12))}</a></td>
        <td>${esc(title(it.rule))}</td><td>${it.verdicts.map((v) => `${esc(who(v.reviewer_id))}：${esc(label("findingStatus", v.verdict))}`).join("；") || "–"}</td>
        ${voting ? `<td class="nw">${vote(it)}</td>` : ""}</tr>`).join("");
      const canClose = c.status === "open" && (ME.role === "admin" || ME.senior || c.created_by_id === ME.id);
      box.innerHTML = `<h2>${esc(c.title || "校准 #" + c.id)} ${badge(c.status === "open" ? "进行中" : "已结束", c.status === "open" ? "st-auto" : "st-dismissed")}</h2>
        <p class="small muted">参与人：${c.reviewer_ids.map(who).map(esc).join("、")} · ${c.call_ids.length} 通通话${c.blind ? " · 背对背进行中：您只看到自己的结论" : ""}</p>
        ${c.overall ? `<p>总体一致性：<b>${esc(kappaText(c.overall))}</b>（${c.overall.items} 项）</p>` : ""}
        ${agree ? `<h3>各规则一致性</h3><table class="grid" id="agreement"><thead><tr><th>规则</th><th class="num">项数</th><th class="num">一致率</th><th>κ</th></tr></thead><tbody>${agree}</tbody></table>` : ""}
        <h3>审核明细</h3>${items ? `<table class="grid" id="cal-items"><thead><tr><th>通话</th><th>规则</th><th>结论</th>${voting ? "<th>我的结论（背对背）</th>" : ""}</tr></thead><tbody>${items}</tbody></table>` : '<p class="muted">尚无待审核项。</p>'}
        ${canClose ? '<div class="btnrow"><button class="btn" type="button" id="cal-close">结束校准并公布一致性</button></div>' : ""}`;
      box.querySelectorAll(".cal-vote").forEach((b) => b.addEventListener("click", async () => {
        try {
          await api(`/v1/review/calibrations/${id}/verdicts`, { method: "POST", body: { finding_id: Number(b.dataset.fid), verdict: b.dataset.v } });
          showCalibration(id, names);
        } catch (err) { CS.toast(CS.errorText(err), "err"); }
      }));
      const close = document.getElementById("cal-close");
      if (close) close.addEventListener("click", async () => {
        try {
          await api(`/v1/review/calibrations/${id}/close`, { method: "POST" });
          CS.toast("校准已结束");
          loadCalibrations();
        } catch (err) { CS.toast(CS.errorText(err), "err"); }
      });
    } catch (err) { showError(box, err); }
  }

  async function loadCalibrations() {
    const box = document.getElementById("calibration-list");
    try {
      const rows = await api("/v1/review/calibrations");
      const names = {};
      rows.forEach((c) => c.reviewers.forEach((r) => { names[r.id] = r.name; }));
      box.innerHTML = rows.length ? `<table class="grid"><thead><tr><th>名称</th><th>状态</th><th>参与人</th><th>发起人</th><th>创建时间</th></tr></thead>
        <tbody>${rows.map((c) => `<tr><td><a href="#" class="cal-open" data-id="${c.id}">${esc(c.title || "校准 #" + c.id)}</a></td>
          <td>${badge(c.status === "open" ? "进行中" : "已结束", c.status === "open" ? "st-auto" : "st-dismissed")}</td>
          <td>${c.reviewers.map((r) => esc(r.name)).join("、")}</td><td>${esc(c.created_by || "–")}</td><td>${dt(c.created_at)}</td></tr>`).join("")}</tbody></table>`
        : '<p class="muted">还没有校准记录。</p>';
      box.querySelectorAll(".cal-open").forEach((a) => a.addEventListener("click", (ev) => {
        ev.preventDefault();
        showCalibration(a.dataset.id, names);
      }));
      const want = params().get("id") || (rows[0] && rows[0].id);
      if (want) showCalibration(want, names);
    } catch (err) { showError(box, err); }
  }

  function load() {
    if (page === "search") return loadSearch();
    if (page === "precision") return loadPrecision();
    if (page === "calibration") return loadCalibrations();
    return null;
  }

  fillForm();
  if (page === "search") fillBranches();
  ruleTitles().then(() => { if (!searchSeq) load(); });  // unless a search was submitted meanwhile
})();
