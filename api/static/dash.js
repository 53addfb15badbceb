/* Dashboards: the agent's workbench and the embedded
   branch report (its figures drill down to the calls behind them). */
"use strict";

(() => {
  const { api, esc, qs, dt, score, label, showError, badge } = CS;
  const page = document.body.dataset.page;
  const $ = (id) => document.getElementById(id);

  function table(heads, rows, empty) {
    if (!rows.length) return `<p class="muted">${empty || "暂无数据。"}</p>`;
    return `<table class="grid"><thead><tr>${heads.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
      <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
  }
  const card = (title, value, id) => `<div class="card"${id ? ` id="${id}"` : ""}><div class="muted small">${esc(title)}</div><div class="n">${value}</div></div>`;
  const callLink = (id) => `<a href="/ui/calls/${esc(id)}">${esc(id.slice(0, 12))}</a>`;

  // A report figure links to /v1/reports/calls?…; the console shows those calls as a list page.
  function drill(link) {
    if (!link) return null;
    // Rendered reports link absolutely to the console (public_base_url, for PDFs): keep the path.
    const abs = link.match(/^https?:\/\/[^/]+(\/ui\/calls[^#]*)$/);
    if (abs) return abs[1];
    const i = link.indexOf("?");
    if (link.startsWith("/v1/reports/calls")) return "/ui/calls?drill=" + encodeURIComponent(i >= 0 ? link.slice(i + 1) : "");
    const m = link.match(/^\/v1\/calls\/([0-9a-f]+)$/);
    return m ? "/ui/calls/" + m[1] : null;
  }

  async function agentPage() {
    let calls;
    try {
      calls = await api("/v1/calls" + qs({ limit: 20 }));
    } catch (err) { showError($("agent-calls"), err); return; }
    $("agent-calls").innerHTML = table(["通话", "客户", "开始时间", "状态"], calls.items.map((c) => [
      callLink(c.id), esc(c.customer || "–"), dt(c.started_at || c.created_at), esc(label("callStatus", c.status))]), "暂无通话。");
    const done = calls.items.filter((c) => c.status === "done").slice(0, 10);
    const details = await Promise.all(done.map(async (c) => {
      const [res, fnd] = await Promise.allSettled([api(`/v1/calls/${c.id}/result`), api(`/v1/calls/${c.id}/findings`)]);
      return { call: c, result: res.status === "fulfilled" ? res.value : null, findings: fnd.status === "fulfilled" ? fnd.value : null };
    }));
    const actions = [];
    const open = [];
    const services = [];
    for (const d of details) {
      for (const a of (d.result && d.result.next_actions) || []) actions.push({ ...a, call: d.call });
      const svc = d.findings ? d.findings.service_score : (((d.result || {}).compliance || {}).scores || {}).service;
      if (svc != null) services.push(svc);
      for (const f of (d.findings && d.findings.findings) || []) {
        if (f.applicable && !f.passed && f.status !== "dismissed") open.push({ f, call: d.call });
      }
    }
    actions.sort((a, b) => (a.priority === "high" ? 0 : 1) - (b.priority === "high" ? 0 : 1));
    const avg = services.length ? score(services.reduce((s, x) => s + x, 0) / services.length) : "–";
    $("agent-cards").innerHTML = card("我的通话", calls.total) + card("近期平均服务分", avg) +
      card("待办行动", actions.length) + card("未通过的质检项", open.length);
    $("agent-actions").innerHTML = actions.length ? `<ul class="actions">${actions.map((a) => `<li>${badge(label("priority", a.priority), "pr-" + a.priority)}
      ${esc(a.text)}${a.due ? ` <span class="muted">截止 ${esc(a.due)}</span>` : ""} <span class="small">${callLink(a.call.id)}</span></li>`).join("")}</ul>`
      : '<p class="muted">暂无待办行动。</p>';
    $("agent-findings").innerHTML = table(["通话", "质检项", "级别", "状态", ""], open.map(({ f, call }) => [
      callLink(call.id), esc(f.title), badge(label("severity", f.severity), "sev-" + f.severity),
      badge(label("findingStatus", f.status), "st-" + f.status) + (f.appeal ? badge(label("appealStatus", f.appeal.status), "ap-" + f.appeal.status) : ""),
      f.status === "confirmed" && !f.appeal ? `<a href="/ui/calls/${esc(call.id)}">去申诉</a>` : ""]), "没有未通过的质检项。");
    try {
      const ap = await api("/v1/appeals" + qs({ limit: 10 }));
      $("agent-appeals").innerHTML = table(["通话", "规则", "理由", "提交时间", "状态", "裁决意见"], ap.items.map((a) => [
        callLink(a.call_id), esc(a.rule || "–"), esc(a.reason), dt(a.created_at),
        badge(label("appealStatus", a.status), "ap-" + a.status), esc(a.ruling_comment || "–")]), "暂无申诉。");
    } catch (err) { showError($("agent-appeals"), err); }
  }

  function reportPage() {
    const frame = $("report-frame");
    frame.addEventListener("load", () => {
      const doc = frame.contentDocument;
      if (!doc) return;
      if ((doc.contentType || "").includes("json")) {
        let msg = doc.body ? doc.body.innerText : "";
        try { msg = JSON.parse(msg).error.message; } catch (e) { /* keep the raw text */ }
        frame.hidden = true;
        $("report-error").innerHTML = `<div class="alert alert-error">无法打开报告：${esc(msg)}</div>`;
        return;
      }
      doc.querySelectorAll("a[href]").forEach((a) => {
        const target = drill(a.getAttribute("href"));
        if (target) { a.setAttribute("href", target); a.setAttribute("target", "_top"); }
      });
    });
  }

  if (page === "agent") agentPage();
  else if (page === "report") reportPage();
})();
