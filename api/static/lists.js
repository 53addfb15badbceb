/* The list pages (calls, QA queue, appeals): filters kept in the URL so drill-down
   links, reloads and the back button show the same list. */
"use strict";

(() => {
  const { api, esc, qs, clock, dt, score, label, showError, toast, badge, params, ME } = CS;
  const page = document.body.dataset.page;
  const LIMIT = 50;
  const form = document.getElementById("filters");

  function fillForm() {
    const p = params();
    for (const el of form.elements) if (el.name && p.has(el.name)) el.value = p.get(el.name);
  }

  function formParams() {
    const out = {};
    for (const el of form.elements) if (el.name && el.value) out[el.name] = el.value;
    return out;
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    history.pushState(null, "", location.pathname + qs(formParams()));
    load();
  });
  window.addEventListener("popstate", () => { fillForm(); load(); });

  async function fillBranches() {
    const sel = document.getElementById("f-branch");
    if (!sel || ME.role === "agent") { if (sel) sel.closest("label").remove(); return; }
    try {
      const rows = await api("/v1/branches");
      sel.insertAdjacentHTML("beforeend", rows.map((b) => `<option value="${esc(b.name)}">${esc(b.name)}</option>`).join(""));
      fillForm();
    } catch (err) { /* the list still works without the branch picker */ }
  }

  async function fillRules() {
    const sel = document.getElementById("f-rule");
    if (!sel) return;
    try {
      const pack = await api("/v1/rules");
      sel.insertAdjacentHTML("beforeend", pack.rules.map((r) => `<option value="${esc(r.id)}">${esc(r.title)}</option>`).join(""));
      fillForm();
    } catch (err) { sel.outerHTML = '<input name="rule" placeholder="规则 ID">'; fillForm(); }
  }

  function pager(total, offset, count) {
    const el = document.getElementById("pager");
    const prev = offset > 0;
    const next = offset + count < total;
    el.innerHTML = `<span class="muted small">共 ${total} 条，第 ${total ? offset + 1 : 0}–${offset + count} 条</span>
      <button class="btn" id="pg-prev" ${prev ? "" : "disabled"}>上一页</button><button class="btn" id="pg-next" ${next ? "" : "disabled"}>下一页</button>`;
    const go = (o) => {
      const p = params();
      p.set("offset", String(Math.max(0, o)));
      history.pushState(null, "", location.pathname + "?" + p.toString());
      load();
    };
    document.getElementById("pg-prev").onclick = () => go(offset - LIMIT);
    document.getElementById("pg-next").onclick = () => go(offset + LIMIT);
  }

  function dayEnd(d) {  // the form's "to" day is inclusive; the API's is exclusive
    if (!d) return null;
    const x = new Date(d + "T00:00:00");
    x.setDate(x.getDate() + 1);
    return x.toISOString().slice(0, 10) + "T00:00:00+08:00";
  }
  const dayStart = (d) => (d ? d + "T00:00:00+08:00" : null);

  async function loadCalls() {
    const box = document.getElementById("calls-table");
    const p = params();
    const offset = Number(p.get("offset") || 0);
    let data;
    try {
      if (p.has("drill")) {
        // Drill-down from a report figure: the same filters as /v1/reports/calls.
        const drill = new URLSearchParams(p.get("drill"));
        drill.set("limit", LIMIT); drill.set("offset", offset);
        data = await api("/v1/reports/calls?" + drill.toString());
        document.getElementById("calls-title").textContent = "报表明细通话";
        form.hidden = true;
        document.getElementById("drillnote").innerHTML = `<div class="alert alert-info">来自网点报告的明细：${esc(describeDrill(drill))}。<a href="/ui/calls">查看全部通话</a></div>`;
        box.innerHTML = table(["通话", "日期", "坐席", "意图", "投诉类别", "投诉风险", "营销机会"], data.items.map((r) => [
          `<a href="/ui/calls/${esc(r.call_id)}">${esc(r.call_id.slice(0, 12))}</a>`, esc(r.day), esc(r.agent || "–"),
          esc(label("intent", r.intent)), esc(r.complaint_category || "–"), badge(label("risk", r.complaint_risk), "risk-" + r.complaint_risk),
          `${r.openings_taken}/${r.openings_detected}`]));
      } else {
        data = await api("/v1/calls" + qs({ branch: p.get("branch"), agent: p.get("agent"), status: p.get("status"),
          from: dayStart(p.get("from")), to: dayEnd(p.get("to")), limit: LIMIT, offset }));
        box.innerHTML = table(["通话", "网点", "坐席", "客户", "方向", "开始时间", "时长", "来源", "状态"], data.items.map((c) => [
          `<a href="/ui/calls/${esc(c.id)}">${esc(c.id.slice(0, 12))}</a>`, esc(c.branch || "–"), esc(c.agent || "–"),
          esc(c.customer || "–"), esc(label("direction", c.direction)), dt(c.started_at || c.created_at), clock(c.duration_s),
          c.source === "audio" ? "录音" : "文本", esc(label("callStatus", c.status))]));
      }
      pager(data.total, offset, data.items.length);
    } catch (err) { showError(box, err); }
  }

  function describeDrill(d) {
    const parts = [`${d.get("from")} 至 ${d.get("to")}（不含）`];
    const names = { intent: "意图", category: "投诉类别", agent: "坐席", risk: "风险", opening: "营销机会", converted: "已转化",
      complaint: "投诉", rule_failed: "未通过规则" };
    for (const [k, n] of Object.entries(names)) if (d.get(k)) parts.push(`${n}=${d.get(k)}`);
    return parts.join("，");
  }

  function table(heads, rows) {
    if (!rows.length) return '<p class="muted">没有符合条件的记录。</p>';
    return `<table class="grid"><thead><tr>${heads.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
      <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
  }

  function reasons(it) {
    const out = it.failed_rules.filter((f) => f.status !== "dismissed")
      .map((f) => badge(`${label("severity", f.severity)}·${f.title || "未命名规则"}`, "sev-" + f.severity));
    if (it.complaint_risk_high) out.push(badge("高投诉风险", "risk-high"));
    return out.join("") || '<span class="muted">–</span>';
  }

  async function loadQueue() {
    const box = document.getElementById("queue-table");
    const p = params();
    const offset = Number(p.get("offset") || 0);
    try {
      const data = await api("/v1/review/queue" + qs({ branch: p.get("branch"), agent: p.get("agent"), rule: p.get("rule"),
        state: p.get("state"), kind: p.get("kind"), assignee: p.get("assignee"), from: dayStart(p.get("from")),
        to: dayEnd(p.get("to")), min_service: p.get("min_service"), max_service: p.get("max_service"), limit: LIMIT, offset }));
      const canClaim = ME.role === "qa" || ME.role === "admin";
      window.CS_QUEUE = data.items;  // for the bulk bar (bulk.js)
      const all = '<input type="checkbox" id="sel-all" aria-label="全选本页">';
      box.innerHTML = table([all, "通话", "网点", "坐席", "时间", "来源", "问题", "服务分", "营销分", "状态", "审核人", ""], data.items.map((it) => [
        `<input type="checkbox" class="sel" data-id="${esc(it.call_id)}" aria-label="选择通话 ${esc(it.call_id.slice(0, 12))}">`,
        `<a href="/ui/calls/${esc(it.call_id)}" class="qlink">${esc(it.call_id.slice(0, 12))}</a>`, `<span class="nw">${esc(it.branch || "–")}</span>`,
        esc(it.agent || "–"), dt(it.started_at), `<span class="nw">${esc(label("kind", it.kind))}</span>`, reasons(it), CS.scoreCell(it.service_score),
        CS.scoreCell(it.marketing_score), `<span class="nw">${esc(label("reviewState", it.review_state))}</span>`, esc(it.assignee || "–"),
        canClaim && !it.assignee_id ? `<button class="btn claim" data-id="${esc(it.call_id)}">领取</button>` : ""]));
      box.querySelectorAll("button.claim").forEach((b) => b.addEventListener("click", async () => {
        try {
          await api("/v1/review/assignments", { method: "POST", body: { call_ids: [b.dataset.id] } });
          toast("已领取");
          loadQueue();
        } catch (err) { toast(CS.errorText(err), "err"); }
      }));
      pager(data.total, offset, data.items.length);
      document.dispatchEvent(new Event("queue-loaded"));
    } catch (err) { showError(box, err); }
  }

  async function loadAppeals() {
    const box = document.getElementById("appeals-table");
    const p = params();
    const offset = Number(p.get("offset") || 0);
    const status = p.has("status") ? p.get("status") : "open";
    try {
      const data = await api("/v1/appeals" + qs({ status, limit: LIMIT, offset }));
      const canRule = ME.senior && ME.role !== "agent";
      box.innerHTML = table(["通话", "规则", "申诉人", "理由", "提交时间", "状态", "裁决"], data.items.map((a) => [
        `<a href="/ui/calls/${esc(a.call_id)}">${esc(a.call_id.slice(0, 12))}</a>`, esc(a.rule_title || "–"), esc(a.appellant || "–"),
        esc(a.reason), dt(a.created_at), badge(label("appealStatus", a.status), "ap-" + a.status),
        a.status === "open" && canRule
          ? `<div class="ruling" data-id="${a.id}"><label class="small muted" for="ruling-${a.id}">裁决意见</label><textarea id="ruling-${a.id}" rows="2" placeholder="裁决意见"></textarea>
             <div class="btnrow"><button class="btn btn-confirm" data-d="upheld">维持原判</button><button class="btn btn-dismiss" data-d="overturned">撤销违规</button></div></div>`
          : esc([a.ruled_by, a.ruling_comment].filter(Boolean).join("：") || "–")]));
      box.querySelectorAll(".ruling button").forEach((b) => b.addEventListener("click", async () => {
        const wrap = b.closest(".ruling");
        try {
          await api(`/v1/appeals/${wrap.dataset.id}/ruling`, { method: "POST",
            body: { decision: b.dataset.d, comment: wrap.querySelector("textarea").value.trim() || null } });
          toast("裁决已保存");
          loadAppeals();
        } catch (err) { toast(CS.errorText(err), "err"); }
      }));
      pager(data.total, offset, data.items.length);
    } catch (err) { showError(box, err); }
  }

  function load() {
    if (page === "calls") return loadCalls();
    if (page === "queue") return loadQueue();
    if (page === "appeals") return loadAppeals();
    return null;
  }

  fillForm();
  fillBranches();
  if (page === "queue") fillRules();
  load();
})();
