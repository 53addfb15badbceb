/* Rule editor: pick a rule, edit its YAML, test it on a pasted dialogue, save a
   draft, backtest it on stored calls, publish it (rules API, docs/rule-development.md). */
"use strict";

(() => {
  const { api, esc, showError, toast, badge, dt, label } = CS;
  const $ = (id) => document.getElementById(id);
  const st = { rules: [], rule: null, draftId: null, savedYaml: null };

  function setDraft(id, text) {
    st.draftId = id;
    st.savedYaml = id ? $("yaml").value : null;
    $("draft-state").textContent = text;
  }

  async function loadRules() {
    try {
      const pack = await api("/v1/rules");
      st.rules = pack.rules;
      $("pack-version").textContent = "当前规则包：" + pack.rule_pack;
      $("rule-list").innerHTML = pack.rules.map((r) => `<a href="#" data-id="${esc(r.id)}">${esc(r.title)}
        <small>${esc(r.id)} · ${esc(label("severity", r.severity))}${r.version ? " · v" + r.version : ""}</small></a>`).join("");
      $("rule-list").querySelectorAll("a").forEach((a) => a.addEventListener("click", (ev) => { ev.preventDefault(); pick(a.dataset.id); }));
    } catch (err) { showError($("rule-list"), err); }
  }

  async function pick(id) {
    st.rule = st.rules.find((r) => r.id === id);
    $("rule-list").querySelectorAll("a").forEach((a) => a.classList.toggle("sel", a.dataset.id === id));
    $("editing").textContent = st.rule.title;
    $("yaml").value = st.rule.yaml || "";
    setDraft(null, "未保存");
    try {
      const vs = await api(`/v1/rules/${encodeURIComponent(id)}/versions`);
      $("versions").innerHTML = vs.length ? "版本：" + vs.map((v) => `${badge("v" + v.version + " " + v.status)}${dt(v.created_at)}`).join(" ") : "尚无数据库版本（来自规则包文件）。";
    } catch (err) { $("versions").textContent = ""; }
  }

  // "坐席：…" / "客户：…" lines (or alternating lines without a prefix) to the transcript format.
  function parseDialogue(text) {
    const turns = [];
    for (const raw of text.split(/\n/)) {
      const line = raw.trim();
      if (!line) continue;
      const m = line.match(/^(坐席|客服|理财经理|agent|A|客户|customer|C)\s*[:：]\s*(.*)$/i);
      let speaker;
      let said = line;
      if (m) {
        speaker = /^(客户|customer|C)$/i.test(m[1]) ? "customer" : "agent";
        said = m[2];
      } else {
        speaker = turns.length % 2 === 0 ? "agent" : "customer";
      }
      if (said) turns.push({ speaker, text: said });
    }
    return { meta: {}, turns };
  }

  function findingLine(name, f) {
    if (!f) return `<li>${name}：无</li>`;
    const verdict = f.hit ? badge("命中", "st-confirmed") : !f.applicable ? badge("不适用") : badge("未命中", "st-dismissed");
    const ev = (f.evidence || []).map((e) => esc(e.text)).join("；");
    return `<li>${name}：${verdict} ${ev ? `<span class="small">${ev}</span>` : ""}</li>`;
  }

  async function runTest() {
    const doc = parseDialogue($("dialogue").value);
    if (!doc.turns.length) { toast("请先粘贴一段对话", "err"); return; }
    try {
      const out = await api("/v1/rules/test", { method: "POST", body: { yaml: $("yaml").value, transcript: doc } });
      $("test-out").innerHTML = `<ul id="test-result">${findingLine("草稿", out.draft)}${findingLine("线上版本 " + esc(out.live_version || ""), out.live)}</ul>
        ${out.changed ? '<div class="alert alert-info">草稿与线上版本的结论不同。</div>' : ""}`;
    } catch (err) { showError($("test-out"), err); }
  }

  async function saveDraft() {
    try {
      const body = { yaml: $("yaml").value, comment: $("comment").value };
      const v = st.draftId && st.savedYaml !== null
        ? await api(`/v1/rules/drafts/${st.draftId}`, { method: "PUT", body })
        : await api("/v1/rules/drafts", { method: "POST", body });
      setDraft(v.id, `草稿 v${v.version} 已保存`);
      toast("草稿已保存");
      return v;
    } catch (err) {
      showError($("test-out"), err);
      return null;
    }
  }

  async function backtest() {
    if (!st.draftId || st.savedYaml !== $("yaml").value) { if (!(await saveDraft())) return; }
    $("backtest-out").textContent = "回测中…";
    try {
      const out = await api(`/v1/rules/drafts/${st.draftId}/backtest`, { method: "POST", body: {} });
      const ch = out.change || {};
      $("backtest-out").innerHTML = `<div id="backtest-result">共 ${out.calls} 通，适用 ${out.applicable} 通，命中 <b>${out.hits}</b> 通（${(out.hit_rate * 100).toFixed(1)}%）
        ${ch.live_version ? `；相对线上 ${esc(ch.live_version)}：新增命中 ${ch.newly_hit}，不再命中 ${ch.no_longer_hit}` : ""}，用时 ${out.seconds} 秒。</div>
        <ul>${(out.samples || []).map((s) => `<li><a href="/ui/calls/${esc(s.call_id)}">${esc(s.call_id.slice(0, 12))}</a>
        ${esc(((s.finding || {}).evidence || []).map((e) => e.text).join("；"))}</li>`).join("")}</ul>`;
    } catch (err) { showError($("backtest-out"), err); }
  }

  async function publish() {
    if (!st.draftId || st.savedYaml !== $("yaml").value) { if (!(await saveDraft())) return; }
    if (!confirm("确认发布该草稿为线上版本？")) return;
    try {
      const out = await api(`/v1/rules/drafts/${st.draftId}/publish`, { method: "POST", body: { comment: $("comment").value } });
      toast(`已发布 v${out.published.version}`);
      setDraft(null, `已发布 v${out.published.version}`);
      await loadRules();
    } catch (err) { showError($("test-out"), err); }
  }

  $("run-test").addEventListener("click", runTest);
  $("save-draft").addEventListener("click", saveDraft);
  $("run-backtest").addEventListener("click", backtest);
  $("publish").addEventListener("click", publish);
  loadRules();
})();
