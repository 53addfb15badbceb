/* The branch manager's overview: any report period (typed or picked), reports
   generated from here with a progress bar, the firm summary for firm-wide users,
   overview charts, trend alerts in words and agents' scores. */
"use strict";

(() => {
  const { api, esc, qs, dt, score, showError, badge, ME } = CS;
  const $ = (id) => document.getElementById(id);
  const STATUS = { done: "已生成", pending: "待生成", running: "生成中", failed: "失败" };

  function table(heads, rows, empty) {
    if (!rows.length) return `<p class="muted">${empty || "暂无数据。"}</p>`;
    return `<table class="grid"><thead><tr>${heads.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
      <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
  }
  const card = (title, value, id) => `<div class="card"${id ? ` id="${id}"` : ""}><div class="muted small">${esc(title)}</div><div class="n">${value}</div></div>`;

  // Console link for a report figure (/v1/reports/calls?… → the call list with that drill-down).
  function drill(link) {
    if (!link || !link.startsWith("/v1/reports/calls")) return null;
    const i = link.indexOf("?");
    return "/ui/calls?drill=" + encodeURIComponent(i >= 0 ? link.slice(i + 1) : "");
  }

  // Horizontal bars as inline SVG; labels get the room they need (no cut-off titles).
  function bars(items, unit) {
    if (!items.length) return '<p class="muted">暂无数据。</p>';
    const longest = Math.max(...items.map((i) => [...i.label].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 1 : 0.6), 0)));
    const lw = Math.min(260, Math.max(90, Math.ceil(longest * 13) + 10)), width = 560, rowH = 26;
    const max = Math.max(...items.map((i) => i.value), 1e-9);
    const rows = items.map((it, k) => {
      const y = k * rowH + 4, w = (width - lw - 70) * it.value / max;
      const text = unit === "%" ? (it.value * 100).toFixed(1) + "%" : it.value + unit;
      return `<text x="${lw - 6}" y="${y + 13}" font-size="13" text-anchor="end">${esc(it.label)}</text>
        <rect x="${lw}" y="${y + 2}" width="${w.toFixed(1)}" height="14" fill="#1f4e79"/>
        <text x="${(lw + w + 4).toFixed(1)}" y="${y + 13}" font-size="12">${esc(text)}</text>`;
    }).join("");
    const h = items.length * rowH + 8;
    return `<svg class="chart" role="img" width="100%" viewBox="0 0 ${width} ${h}" aria-label="图表">${rows}</svg>`;
  }

  function recentPeriods() {
    const out = [];
    const d = new Date();
    for (let k = 1; k <= 6; k++) {
      const m = new Date(d.getFullYear(), d.getMonth() - k, 1);
      out.push(`${m.getFullYear()}-${String(m.getMonth() + 1).padStart(2, "0")}`);
    }
    return out;
  }

  async function load() {
    let all;
    try {
      all = await api("/v1/reports" + qs({ limit: 1000 }));
    } catch (err) { showError($("mgr-reports"), err); return; }
    const periods = [...new Set(all.items.map((r) => r.period))].sort().reverse();
    $("period-list").innerHTML = [...new Set([...periods, ...recentPeriods()])].map((p) => `<option value="${esc(p)}">`).join("");
    const period = CS.params().get("period") || periods[0] || recentPeriods()[0];
    $("period").value = period;
    await showPeriod(period);
  }

  function go(period) {
    history.replaceState(null, "", "?period=" + encodeURIComponent(period));
    showPeriod(period);
  }

  async function showPeriod(period) {
    $("firm-link").innerHTML = ["admin", "qa"].includes(ME.role)
      ? `<a id="open-firm" href="/ui/reports/${encodeURIComponent(period)}/firm">全辖汇总报告</a>` : "";
    let list;
    try {
      list = await api("/v1/reports" + qs({ period, limit: 1000 }));
    } catch (err) { showError($("mgr-reports"), err); return; }
    const reports = list.items.filter((r) => r.kind === "branch");
    $("mgr-reports").innerHTML = table(["网点", "状态", "生成时间", ""], reports.map((r) => [
      esc(r.branch || "–"), esc(STATUS[r.status] || r.status), dt(r.generated_at),
      r.status === "done" ? `<a class="open-report" href="/ui/reports/${encodeURIComponent(r.period)}/${r.branch_id}">查看报告</a>` : esc(r.error || "")]),
      `报告期 ${esc(period)} 暂无报告：点击「生成本期报告」即可生成（也会在每期开始时自动生成）。`);
    const contents = (await Promise.all(reports.filter((r) => r.status === "done").map((r) =>
      api(`/v1/reports/${encodeURIComponent(r.period)}/branches/${r.branch_id}`).catch(() => null)))).filter(Boolean);
    const names = {};
    let calls = 0, negative = 0;
    const agents = [], intents = {};
    for (const c of contents) {
      names[c.branch.id] = c.branch.name;
      calls += c.totals.calls;
      negative += c.totals.negative || 0;
      const s = c.sections || {};
      for (const a of (s.quality || {}).agents || []) agents.push({ ...a, branch: c.branch.name });
      for (const i of (s.intents || {}).items || []) intents[i.label] = (intents[i.label] || 0) + i.count;
    }
    $("mgr-chart-calls").innerHTML = bars(contents.map((c) => ({ label: c.branch.name, value: c.totals.calls }))
      .sort((a, b) => b.value - a.value).slice(0, 12), "通");
    $("mgr-chart-intents").innerHTML = bars(Object.entries(intents).filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]).slice(0, 8).map(([label, n]) => ({ label, value: calls ? n / calls : 0 })), "%");
    const one = contents.length === 1 ? drill(contents[0].totals.link) : null;
    let alertTotal = 0;
    try {
      const alerts = await api("/v1/alerts" + qs({ period, limit: 200 }));
      alertTotal = alerts.total;
      // The message is the alert in words; raw dimension/key/expected values stay in the API.
      $("mgr-alerts").innerHTML = table(["网点", "级别", "说明"], alerts.items.map((a) => [
        esc(names[a.branch_id] || "本行"), badge(a.severity === "high" ? "重要" : "提示", "sev-" + (a.severity === "high" ? "major" : "minor")),
        esc(a.message)]), "本期无趋势预警。");
    } catch (err) { showError($("mgr-alerts"), err); }
    $("mgr-cards").innerHTML = card("来电量", one ? `<a href="${esc(one)}">${calls}</a>` : calls, "card-calls") +
      card("负面情绪来电", negative) + card("趋势预警", alertTotal) + card("网点数", contents.length);
    $("mgr-agents").innerHTML = table(["坐席", "网点", "通话", "服务分", "营销分", "较上期"], agents.map((a) => [
      drill(a.link) ? `<a href="${esc(drill(a.link))}" class="agent-drill">${esc(a.agent)}</a>` : esc(a.agent), esc(a.branch),
      `<span class="num">${a.calls}</span>`, score(a.service), score(a.marketing),
      a.delta == null ? "–" : (a.delta >= 0 ? "+" : "") + score(a.delta)]), "本期无质检得分（需要质检数据）。");
  }

  async function generate() {
    const period = $("period").value.trim();
    const box = $("gen-status");
    const btn = $("generate");
    btn.disabled = true;
    try {
      const job = await api(`/v1/reports/${encodeURIComponent(period)}/generate`, { method: "POST" });
      history.replaceState(null, "", "?period=" + encodeURIComponent(job.period));
      $("period").value = job.period;
      for (;;) {
        const p = (await api(job.progress + "&limit=1")).progress || {};
        const total = Object.values(p).reduce((s, n) => s + n, 0);
        const finished = (p.done || 0) + (p.failed || 0);
        box.innerHTML = `<div class="alert alert-info">正在生成 ${esc(job.period)} 的报告：<progress id="gen-progress" max="${total}" value="${finished}"></progress> ${finished}/${total}${p.failed ? `，失败 ${p.failed}` : ""}</div>`;
        if (finished >= total) break;
        await new Promise((r) => setTimeout(r, 800));
      }
      await showPeriod(job.period);  // the table first: "done" then means the links are there
      box.innerHTML = `<div class="alert alert-ok" id="gen-done">${esc(job.period)} 的报告已生成。</div>`;
    } catch (err) { showError(box, err); }
    btn.disabled = false;
  }

  $("period-form").addEventListener("submit", (e) => { e.preventDefault(); go($("period").value.trim()); });
  $("generate").addEventListener("click", generate);
  load();
})();
