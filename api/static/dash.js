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
    const done = calls.items.filter((c) => c.status === "done").slice(0, 10);
    const details = await Promise.all(done.map(async (c) => {
      const [res, fnd] = await Promise.allSettled([api(`/v1/calls/${c.id}/result`), api(`/v1/calls/${c.id}/findings`)]);
      return { call: c, result: res.status === "fulfilled" ? res.value : null, findings: fnd.status === "fulfilled" ? fnd.value : null };
    }));
    const open = [];
    const services = [];
    for (const d of details) {
      const svc = d.findings ? d.findings.service_score : (((d.result || {}).compliance || {}).scores || {}).service;
      if (svc != null) services.push(svc);
      for (const f of (d.findings && d.findings.findings) || []) {
        if (f.applicable && !f.passed && f.status !== "dismissed") open.push({ f, call: d.call });
      }
    }
    // Each call's service score, a failing one marked in words (a fatal item vetoes it: issue 14).
    const svcOf = Object.fromEntries(details.map((d) => [d.call.id, d.findings ? d.findings.service_score
      : (((d.result || {}).compliance || {}).scores || {}).service]));
    $("agent-calls").innerHTML = table(["通话", "客户", "开始时间", "状态", "服务分"], calls.items.map((c) => [
      callLink(c.id), esc(c.customer || "–"), dt(c.started_at || c.created_at), esc(label("callStatus", c.status)),
      CS.scoreCell(svcOf[c.id])]), "暂无通话。");
    const avg = services.length ? score(services.reduce((s, x) => s + x, 0) / services.length) : "–";
    const pending = await showActions();
    $("agent-cards").innerHTML = card("我的通话", calls.total) + card("近期平均服务分", avg) +
      card("待办行动", pending) + card("未通过的质检项", open.length);
    $("agent-findings").innerHTML = table(["通话", "质检项", "级别", "状态", ""], open.map(({ f, call }) => [
      callLink(call.id), esc(f.title), badge(label("severity", f.severity), "sev-" + f.severity),
      badge(label("findingStatus", f.status), "st-" + f.status) + (f.appeal ? badge(label("appealStatus", f.appeal.status), "ap-" + f.appeal.status) : ""),
      f.status === "confirmed" && !f.appeal ? `<a href="/ui/calls/${esc(call.id)}">去申诉</a>` : ""]), "没有未通过的质检项。");
    try {
      const ap = await api("/v1/appeals" + qs({ limit: 10 }));
      $("agent-appeals").innerHTML = table(["通话", "规则", "理由", "提交时间", "状态", "裁决意见"], ap.items.map((a) => [
        callLink(a.call_id), esc(a.rule_title || "–"), esc(a.reason), dt(a.created_at),
        badge(label("appealStatus", a.status), "ap-" + a.status), esc(a.ruling_comment || "–")]), "暂无申诉。");
    } catch (err) { showError($("agent-appeals"), err); }
  }

  // Next-best actions as a to-do list: due date (the day the customer named, else a default),
  // customer, the call; a checkbox marks one done (PUT), done ones move to the end.
  async function showActions() {
    let items;
    try {
      items = (await api("/v1/agents/me/next-actions" + qs({ limit: 30 }))).items;
    } catch (err) { showError($("agent-actions"), err); return 0; }
    $("agent-actions").innerHTML = items.length ? `<ul class="actions">${items.map((a) => `<li class="${a.done ? "done" : ""}">
      <label><input type="checkbox" class="act-done" data-call="${esc(a.call_id)}" data-key="${esc(a.key)}" ${a.done ? "checked" : ""}
        aria-label="标记完成：${esc(a.text)}"> ${badge(label("priority", a.priority), "pr-" + a.priority)} ${a.done ? `<s>${esc(a.text)}</s>` : esc(a.text)}</label>
      <div class="small muted">客户 ${esc(a.customer || "–")} · 截止 <span class="act-due">${esc(a.due || "–")}</span>${a.due_source === "default" ? "（默认）" : ""}
        · ${callLink(a.call_id)}${a.done ? " · 已完成" : ""}</div></li>`).join("")}</ul>`
      : '<p class="muted">暂无待办行动。</p>';
    $("agent-actions").querySelectorAll(".act-done").forEach((box) => box.addEventListener("change", async () => {
      try {
        await api(`/v1/agents/me/next-actions/${encodeURIComponent(box.dataset.call)}/${encodeURIComponent(box.dataset.key)}`,
          { method: "PUT", body: { done: box.checked } });
        CS.toast(box.checked ? "已标记完成" : "已重新打开");
        await showActions();
      } catch (err) { box.checked = !box.checked; CS.toast(CS.errorText(err), "error"); }
    }));
    return items.filter((a) => !a.done).length;
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
