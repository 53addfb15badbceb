/* The call page: player and transcript side by side, findings with their evidence
   marked in the text and on the timeline, verdicts / appeals, keyboard review. */
"use strict";

(() => {
  const { api, esc, clock, dt, score, label, showError, toast, badge, ME } = CS;
  const root = document.getElementById("callpage");
  const callId = root.dataset.callId;
  const reviewer = ME.role === "qa" || ME.role === "admin";
  const st = { call: null, segs: [], findings: [], result: null, sel: -1, audio: null, current: -1, readOnly: false };

  const $ = (id) => document.getElementById(id);

  function renderHead(review) {
    const c = st.call;
    const r = review || {};
    const canClose = reviewer && !st.readOnly && r.review_state && !["none", "closed"].includes(r.review_state);
    $("callhead").innerHTML = `
      ${canClose ? '<div class="headrow"><button class="btn btn-primary" id="close-review" title="所有未通过项均已审核后结案">结案</button></div>' : ""}
      <div class="meta">
        <div><span class="k">网点</span>${esc(c.branch || "–")}</div>
        <div><span class="k">坐席</span>${esc(c.agent || "–")}</div>
        <div><span class="k">客户</span>${esc(c.customer || "–")}</div>
        <div><span class="k">方向</span>${esc(label("direction", c.direction))}</div>
        <div><span class="k">时间</span>${dt(c.started_at || c.created_at)}</div>
        <div><span class="k">时长</span>${clock(c.duration_s)}</div>
        <div><span class="k">状态</span>${esc(label("callStatus", c.status))}</div>
        <div><span class="k">服务分</span><b>${CS.scoreCell(r.service_score, "svc-score")}</b></div>
        <div><span class="k">营销分</span><b>${CS.scoreCell(r.marketing_score, "mkt-score")}</b></div>
        <div><span class="k">审核</span><span id="review-state">${esc(label("reviewState", r.review_state))}</span></div>
      </div>`;
    const closeBtn = $("close-review");
    if (closeBtn) closeBtn.addEventListener("click", closeReview);
  }

  function evidenceRanges(text, marks) {
    // [start, end, finding index] spans of each evidence quote found in this turn's text.
    const out = [];
    for (const m of marks) {
      const quote = String(m.text || "").replace(/^[…\s]+|[…\s]+$/g, "");
      if (!quote) continue;
      const parts = quote.split("…").map((p) => p.trim()).filter((p) => p.length >= 2);
      for (const p of (parts.length ? parts : [quote])) {
        const at = text.indexOf(p);
        if (at >= 0) out.push([at, at + p.length, m.f]);
      }
    }
    out.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const r of out) if (!merged.length || r[0] >= merged[merged.length - 1][1]) merged.push(r);
    return merged;
  }

  function renderTranscript() {
    const marksBySeg = {};
    st.findings.forEach((f, fi) => (f.evidence || []).forEach((e) => {
      (marksBySeg[e.segment] = marksBySeg[e.segment] || []).push({ f: fi, text: e.text });
    }));
    $("transcript").innerHTML = st.segs.map((s, i) => {
      const marks = marksBySeg[i] || [];
      const ranges = evidenceRanges(s.text, marks);
      let html = "";
      let pos = 0;
      for (const [a, b, fi] of ranges) {
        const sev = st.findings[fi].severity;
        html += esc(s.text.slice(pos, a)) + `<mark class="ev sev-${esc(sev)}" data-f="${fi}" title="${esc(label("severity", sev))}：${esc(st.findings[fi].title)}">${esc(s.text.slice(a, b))}</mark>`;
        pos = b;
      }
      html += esc(s.text.slice(pos));
      const whole = marks.length && !ranges.length ? " ev-turn" : "";
      const fis = [...new Set(marks.map((m) => m.f))].join(",");
      return `<div class="turn turn-${esc(s.speaker)}${whole}" data-i="${i}" data-start="${s.start}" data-f="${fis}">
        <div class="turnmeta"><span class="spk">${esc(label("speaker", s.speaker))}</span><span class="ts">${clock(s.start)}</span></div>
        <div class="bubble">${html}</div></div>`;
    }).join("") || '<p class="muted">没有转写内容。</p>';
    $("transcript").querySelectorAll(".turn").forEach((el) => el.addEventListener("click", () => {
      seek(Number(el.dataset.start));
      setCurrent(Number(el.dataset.i));
    }));
  }

  function duration() {
    const last = st.segs.length ? st.segs[st.segs.length - 1].end : 0;
    return Math.max(st.call.duration_s || 0, last, 1);
  }

  function renderTimeline() {
    const d = duration();
    const pct = (t) => `${Math.min(100, Math.max(0, (t / d) * 100)).toFixed(3)}%`;
    const bars = st.segs.map((s) => `<span class="tl-seg tl-${esc(s.speaker)}" style="left:${pct(s.start)};width:${pct(Math.max(0.2, s.end - s.start))}"></span>`).join("");
    const marks = [];
    st.findings.forEach((f, fi) => (f.evidence || []).forEach((e) => {
      marks.push(`<button class="tl-mark sev-${esc(f.severity)}" style="left:${pct(e.start)}" data-f="${fi}" title="${esc(label("severity", f.severity))}：${esc(f.title)} ${clock(e.start)}" aria-label="${esc(label("severity", f.severity))}：${esc(f.title)} ${clock(e.start)}"></button>`);
    }));
    $("timeline").innerHTML = `<div class="tl-rows">${bars}</div>${marks.join("")}<span class="tl-cursor" id="tl-cursor"></span>`;
    $("timeline").onclick = (ev) => {
      const mark = ev.target.closest(".tl-mark");
      if (mark) { select(Number(mark.dataset.f)); return; }
      const box = $("timeline").getBoundingClientRect();
      seek(((ev.clientX - box.left) / box.width) * d);
    };
  }

  function findingCard(f, fi) {
    const ev = (f.evidence || []).map((e) => `<li><a href="#" class="evlink" data-t="${e.start}" data-seg="${e.segment}">${clock(e.start)}</a> ${esc(e.text)}</li>`).join("");
    const status = f.status ? badge(label("findingStatus", f.status), "st-" + f.status) : "";
    const verdict = f.verdict_by ? `<div class="small muted verdictline">${esc(f.verdict_by)} ${dt(f.verdict_at)}：${esc(f.verdict_comment || "（无备注）")}</div>` : "";
    const appeal = f.appeal ? `<div class="small appealline">申诉 ${badge(label("appealStatus", f.appeal.status), "ap-" + f.appeal.status)} ${esc(f.appeal.reason)}${f.appeal.ruling_comment ? "；裁决：" + esc(f.appeal.ruling_comment) : ""}</div>` : "";
    let actions = "";
    if (reviewer && f.id != null && !st.readOnly) {
      actions = `<label class="small muted" for="comment-${fi}">审核备注（可选）</label><textarea class="comment" id="comment-${fi}" rows="2" placeholder="审核备注（可选）" data-f="${fi}"></textarea>
        <div class="btnrow"><button class="btn btn-confirm" data-act="confirmed" data-f="${fi}">确认违规 <kbd>c</kbd></button>
        <button class="btn btn-dismiss" data-act="dismissed" data-f="${fi}">驳回误报 <kbd>d</kbd></button></div>`;
    } else if (ME.role === "agent" && f.id != null && f.status === "confirmed" && !f.appeal) {
      actions = `<label class="small muted" for="comment-${fi}">申诉理由（必填）</label><textarea class="comment" id="comment-${fi}" rows="2" placeholder="申诉理由（必填）" data-f="${fi}"></textarea>
        <div class="btnrow"><button class="btn btn-appeal" data-act="appeal" data-f="${fi}">提交申诉</button></div>`;
    }
    return `<div class="finding sev-${esc(f.severity)}" id="finding-${fi}" data-f="${fi}" data-id="${f.id == null ? "" : f.id}" data-rule="${esc(f.rule)}">
      <div class="fhead">${fi < 9 ? `<kbd class="fkey" title="按 ${fi + 1} 跳到此项录音">${fi + 1}</kbd>` : ""}${badge(label("severity", f.severity), "sev sev-" + f.severity)}<b>${esc(f.title)}</b>${status}</div>
      <ul class="evlist">${ev || '<li class="muted">未说到要求的内容（缺失项，无原话证据）</li>'}</ul>
      ${verdict}${appeal}${actions}</div>`;
  }

  function passedList() {
    const ok = st.passedItems || [];
    if (!ok.length) return "";
    const rows = ok.map((f) => `<li class="passed-item"><span class="badge ${f.applicable ? "st-pass" : "st-na"}">${f.applicable ? "✓ 通过" : "不适用"}</span>
      ${esc(f.title)}${f.status === "dismissed" ? ' <span class="muted">（违规已驳回）</span>' : ""}</li>`).join("");
    return `<details class="passed" id="passed-checks" open><summary>通过或不适用的检查项（${ok.length}）</summary><ul class="passedlist">${rows}</ul></details>`;
  }

  // A call whose customer threatens or files a complaint is flagged above the rule verdicts
  // whether or not the agent broke a rule: "no violation" alone read as "nothing to do".
  function riskNote() {
    const risk = (st.result || {}).complaint_risk || {};
    if (risk.level !== "high") return "";
    const why = (risk.evidence || []).map((e) => esc(e.reason)).filter(Boolean);
    return `<p class="risk-note" role="alert"><strong>投诉风险：高</strong>${why.length ? "（" + [...new Set(why)].join("、") + "）" : ""}。请按投诉流程登记、升级并在时限内回电。</p>`;
  }

  function renderFindings(passedCount) {
    const box = $("findings");
    if (!st.findings.length) {
      box.innerHTML = riskNote() + `<p class="ok-note">未发现坐席违规项。${passedCount ? `共 ${passedCount} 项检查通过或不适用。` : ""}</p>` + passedList();
      return;
    }
    box.innerHTML = riskNote() + st.findings.map(findingCard).join("") + passedList() +
      (st.readOnly ? '<p class="small muted">审核数据暂不可用，以下为分析结果（只读）。</p>' : "");
    box.querySelectorAll(".finding").forEach((el) => el.addEventListener("click", (ev) => {
      if (ev.target.closest("textarea, button, a, label")) return;
      select(Number(el.dataset.f));
    }));
    box.querySelectorAll(".evlink").forEach((a) => a.addEventListener("click", (ev) => {
      // The card's own click handler seeks to the first evidence: this link's click must not reach it.
      ev.preventDefault();
      ev.stopPropagation();
      select(Number(a.closest(".finding").dataset.f), false);
      seek(Number(a.dataset.t));
      setCurrent(Number(a.dataset.seg), true);
    }));
    box.querySelectorAll("button[data-act]").forEach((b) => b.addEventListener("click", () => act(Number(b.dataset.f), b.dataset.act)));
    if (st.sel >= 0) select(st.sel, false);
  }

  function renderInsights(r) {
    if (!r) { $("insights").innerHTML = '<p class="muted">暂无分析结果。</p>'; return; }
    const risk = r.complaint_risk || {};
    const ev = (risk.evidence || []).map((e) => `<li>${esc(e.reason)}：${esc(e.text)}</li>`).join("");
    $("insights").innerHTML = `<p>${esc(r.summary || "")}</p>
      <dl class="kv"><dt>主要意图</dt><dd>${esc(label("intent", (r.intents || {}).primary))}</dd>
      <dt>客户情绪</dt><dd>${esc(label("sentiment", (r.sentiment || {}).call))}</dd>
      <dt>投诉风险</dt><dd>${badge(label("risk", risk.level), "risk-" + (risk.level || "none"))}</dd>
      <dt>关键词</dt><dd>${(r.keywords || []).map((k) => badge(k, "kw")).join(" ") || "–"}</dd></dl>
      ${ev ? `<ul class="small">${ev}</ul>` : ""}`;
  }

  // A complaint call's follow-up carries the service-recovery steps (result schema 1.3,
  // next_actions[].steps): shown whether or not any opening survived the filter, since a
  // complaining customer's grievance is usually no opening at all.
  function recoverySteps(r) {
    const a = ((r && r.next_actions) || []).find((x) => x.action === "complaint_follow_up");
    return (a && a.steps) || [];
  }

  function scriptCard(s) {
    return `<div class="script"><div class="small">${badge(label("script", s.kind), "kw")}
        ${esc(s.product_name || "")}${s.risk_level ? " · " + esc(s.risk_level) : ""}${ME.role === "agent" ? "" : ` <span class="muted">${esc(s.script)} / ${esc(s.variant)}</span>`}</div>
        <p>${esc(s.text)}</p></div>`;
  }

  function renderUpsell(r) {
    const ops = (r && r.upsell_openings) || [];
    const steps = recoverySteps(r);
    const recovery = steps.length ? `<div class="opening recovery"><div class="fhead">${badge("客户投诉", "risk-high")}<b>服务补救步骤</b></div>
        <p class="small">客户在投诉：本通话不做产品营销，按以下步骤处理。</p>
        <div class="scripts">${steps.map(scriptCard).join("")}</div></div>` : "";
    if (!ops.length) {
      $("upsell").innerHTML = recovery + '<p class="muted">本通话未识别到营销机会。</p>';
      return;
    }
    $("upsell").innerHTML = recovery + ops.map((o) => {
      const c = (o.evidence || {}).customer || {};
      const a = (o.evidence || {}).agent;
      // The recovery steps are shown once above, not again under every opening.
      const sugg = (o.suggestions || []).filter((s) => !(steps.length && s.kind === "recovery")).map(scriptCard).join("");
      return `<div class="opening"><div class="fhead">${badge(label("opening", o.type), "op")}${o.taken ? badge("已开口", "st-confirmed") : badge("未开口", "st-auto")}
        <a href="#" class="evlink" data-seg="${o.segment}">${clock((st.segs[o.segment] || {}).start)}</a></div>
        <p class="small">客户：${esc(c.text || "")}</p>${a ? `<p class="small">坐席：${esc(a.text)}</p>` : ""}
        ${sugg ? `<div class="scripts"><div class="small muted">推荐话术</div>${sugg}</div>` : ""}</div>`;
    }).join("");
    $("upsell").querySelectorAll(".evlink").forEach((el) => el.addEventListener("click", (ev) => {
      ev.preventDefault();
      const seg = st.segs[Number(el.dataset.seg)];
      if (seg) { seek(seg.start); setCurrent(Number(el.dataset.seg), true); }
    }));
  }

  function renderActions(r) {
    const acts = (r && r.next_actions) || [];
    $("actions").innerHTML = acts.length ? `<ul class="actions">${acts.map((a) => `<li>${badge(label("priority", a.priority), "pr-" + a.priority)}
      ${esc(a.text)}${a.due ? ` <span class="muted">截止 ${esc(a.due)}</span>` : ""}${(a.steps || []).length ? ' <span class="muted">（服务补救步骤见上方）</span>' : ""}</li>`).join("")}</ul>` : '<p class="muted">无待办行动。</p>';
  }

  function renderPlayer() {
    const box = $("playerbox");
    if (st.call.source !== "audio") {
      box.innerHTML = '<div class="noaudio">此通话为文本导入，没有录音；点击对话可定位时间。</div>';
      return;
    }
    box.innerHTML = `<audio id="player" controls preload="auto" src="/v1/calls/${encodeURIComponent(callId)}/audio"></audio>
      <label class="speed small">播放速度<select id="speed">${[0.75, 1, 1.25, 1.5, 2].map((r) =>
        `<option value="${r}" ${r === 1 ? "selected" : ""}>${r}×</option>`).join("")}</select></label>`;
    st.audio = $("player");
    $("speed").addEventListener("change", (ev) => { st.audio.playbackRate = Number(ev.target.value); });
    st.audio.addEventListener("timeupdate", onTime);
    st.audio.addEventListener("seeked", onTime);
    st.audio.addEventListener("error", () => {
      box.insertAdjacentHTML("beforeend", '<div class="alert alert-error">录音无法播放（文件缺失或无权访问）。</div>');
    });
  }

  function onTime() {
    const t = st.audio.currentTime;
    const cursor = $("tl-cursor");
    if (cursor) cursor.style.left = `${Math.min(100, (t / duration()) * 100)}%`;
    let idx = -1;
    for (let i = 0; i < st.segs.length; i++) {
      if (st.segs[i].start <= t + 0.05) idx = i; else break;
    }
    if (idx >= 0 && t > st.segs[idx].end + 1.5) idx = -1;  // in a silence between turns
    if (idx !== st.current) setCurrent(idx, !st.audio.paused);
  }

  function setCurrent(i, scroll = false) {
    st.current = i;
    document.querySelectorAll(".turn.current").forEach((el) => el.classList.remove("current"));
    const el = document.querySelector(`.turn[data-i="${i}"]`);
    if (el) {
      el.classList.add("current");
      if (scroll) el.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  function seek(t) {
    if (!st.audio || isNaN(t)) return;
    st.audio.currentTime = Math.max(0, t);
  }

  function select(fi, move = true) {
    if (!st.findings.length) return;
    st.sel = Math.max(0, Math.min(st.findings.length - 1, fi));
    document.querySelectorAll(".finding.selected, mark.ev.active, .turn.ev-active, .tl-mark.active")
      .forEach((el) => el.classList.remove("selected", "active", "ev-active"));
    const card = $("finding-" + st.sel);
    if (card) { card.classList.add("selected"); card.scrollIntoView({ block: "nearest" }); }
    document.querySelectorAll(`mark.ev[data-f="${st.sel}"], .tl-mark[data-f="${st.sel}"]`).forEach((el) => el.classList.add("active"));
    document.querySelectorAll(".turn").forEach((el) => {
      if (el.dataset.f.split(",").includes(String(st.sel))) el.classList.add("ev-active");
    });
    const e = (st.findings[st.sel].evidence || [])[0];
    if (move && e) { seek(e.start); setCurrent(e.segment, true); }
  }

  async function act(fi, what) {
    const f = st.findings[fi];
    if (!f || f.id == null) return;
    const ta = document.querySelector(`textarea.comment[data-f="${fi}"]`);
    const text = ta ? ta.value.trim() : "";
    try {
      if (what === "appeal") {
        if (!text) { toast("请填写申诉理由", "err"); if (ta) ta.focus(); return; }
        f.appeal = await api(`/v1/findings/${f.id}/appeal`, { method: "POST", body: { reason: text } });
        toast("申诉已提交");
      } else {
        const out = await api(`/v1/findings/${f.id}/verdict`, { method: "POST", body: { verdict: what, comment: text || null } });
        st.findings[fi] = out.finding;
        renderHead(out.call);
        toast(what === "confirmed" ? "已确认违规" : "已驳回误报");
      }
      renderFindings(st.passed);
      renderTranscript();
      renderTimeline();
      select(fi, false);
    } catch (err) {
      toast(CS.errorText(err), "err");
    }
  }

  function startAt(t) {  // ?t=<seconds> (a search hit): show that turn and cue the audio there
    if (!(t > 0)) return;
    let idx = -1;
    st.segs.forEach((s, i) => { if (s.start <= t + 0.05) idx = i; });
    if (idx >= 0) setCurrent(idx, true);
    if (!st.audio) return;
    if (st.audio.readyState >= 1) seek(t);
    else st.audio.addEventListener("loadedmetadata", () => seek(t), { once: true });
  }

  function playFinding(fi) {
    select(fi);
    if (st.audio && (st.findings[fi].evidence || []).length) st.audio.play().catch(() => {});
  }

  async function closeReview() {
    try {
      const out = await api(`/v1/review/calls/${encodeURIComponent(callId)}/close`, { method: "POST" });
      renderHead(out);
      toast("已结案");
    } catch (err) { toast(CS.errorText(err), "err"); }
  }

  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "input" || tag === "select") return;
    if (ev.key === "j") select(st.sel + 1);
    else if (ev.key === "k") select(st.sel <= 0 ? 0 : st.sel - 1);
    else if (ev.key === "c" && reviewer && st.sel >= 0) act(st.sel, "confirmed");
    else if (ev.key === "d" && reviewer && st.sel >= 0) act(st.sel, "dismissed");
    else if (/^[1-9]$/.test(ev.key) && Number(ev.key) <= st.findings.length) playFinding(Number(ev.key) - 1);
    else if (ev.key === "p" && st.sel >= 0) playFinding(st.sel);
    else if ((ev.key === "-" || ev.key === "=") && $("speed")) {
      const sel = $("speed");
      sel.selectedIndex = Math.max(0, Math.min(sel.options.length - 1, sel.selectedIndex + (ev.key === "=" ? 1 : -1)));
      sel.dispatchEvent(new Event("change"));
    }
    else if (ev.key === " " && st.audio) {
      ev.preventDefault();
      if (st.audio.paused) st.audio.play(); else st.audio.pause();
    } else return;
  }

  function failedFirst(list) {
    const rank = { fatal: 0, major: 1, minor: 2 };
    return list.filter((f) => f.applicable && !f.passed)
      .sort((a, b) => (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3));
  }

  async function load() {
    try {
      st.call = await api(`/v1/calls/${encodeURIComponent(callId)}`);
    } catch (err) {
      showError($("callhead"), err);
      $("callbody").remove();
      return;
    }
    renderHead(null);
    if (st.call.status !== "done") {
      $("callbody").innerHTML = `<div class="panel"><p>该通话尚未分析完成（${esc(label("callStatus", st.call.status))}）。${esc(st.call.error || "")}</p></div>`;
      return;
    }
    const [tr, res, fnd] = await Promise.allSettled([
      api(`/v1/calls/${callId}/transcript`), api(`/v1/calls/${callId}/result`), api(`/v1/calls/${callId}/findings`)]);
    st.segs = tr.status === "fulfilled" ? tr.value.segments : [];
    st.result = res.status === "fulfilled" ? res.value : null;
    let all;
    if (fnd.status === "fulfilled") {
      all = fnd.value.findings;
      renderHead(fnd.value);
    } else {
      st.readOnly = true;
      all = ((st.result || {}).compliance || {}).findings || [];
      const scores = ((st.result || {}).compliance || {}).scores || {};
      renderHead({ service_score: scores.service, marketing_score: scores.marketing });
    }
    st.findings = failedFirst(all);
    st.passedItems = all.filter((f) => !st.findings.includes(f));
    st.passed = all.length - st.findings.length;
    renderPlayer();
    renderTranscript();
    renderTimeline();
    renderFindings(st.passed);
    renderInsights(st.result);
    renderUpsell(st.result);
    renderActions(st.result);
    document.addEventListener("keydown", onKey);
    startAt(Number(CS.params().get("t")));
    root.dataset.ready = "1";
  }

  load();
})();
