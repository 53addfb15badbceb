/* The queue's bulk bar: select calls, then one verdict on their open failed items (all
   or nothing, server-side), claim them, or start a calibration on them. */
"use strict";

(() => {
  const { api, esc, toast, ME } = CS;
  const bar = document.getElementById("bulkbar");
  if (!bar) return;
  const selected = new Set();
  const $ = (id) => document.getElementById(id);

  function reload() { window.dispatchEvent(new PopStateEvent("popstate")); }

  function items() { return (window.CS_QUEUE || []).filter((it) => selected.has(it.call_id)); }

  function refresh() {
    $("bulk-count").textContent = `已选 ${selected.size} 通`;
    bar.querySelectorAll("button[data-bulk], #bulk-claim, #bulk-calibrate").forEach((b) => { b.disabled = !selected.size; });
  }

  document.addEventListener("queue-loaded", () => {
    selected.clear();
    document.querySelectorAll("#queue-table input.sel").forEach((cb) => cb.addEventListener("change", () => {
      if (cb.checked) selected.add(cb.dataset.id); else selected.delete(cb.dataset.id);
      refresh();
    }));
    const all = $("sel-all");
    if (all) all.addEventListener("change", () => {
      document.querySelectorAll("#queue-table input.sel").forEach((cb) => {
        cb.checked = all.checked;
        if (all.checked) selected.add(cb.dataset.id); else selected.delete(cb.dataset.id);
      });
      refresh();
    });
    refresh();
  });

  async function fillRules() {
    const sel = $("bulk-rule");
    if (!sel) return;
    try {
      const pack = await api("/v1/rules");
      sel.insertAdjacentHTML("beforeend", pack.rules.map((r) => `<option value="${esc(r.id)}">${esc(r.title)}</option>`).join(""));
    } catch (err) { /* all open items still work */ }
  }

  bar.querySelectorAll("button[data-bulk]").forEach((b) => b.addEventListener("click", async () => {
    const rule = $("bulk-rule").value;
    const ids = items().flatMap((it) => it.failed_rules).filter((f) => f.status === "auto" && (!rule || f.rule === rule))
      .map((f) => f.finding_id);
    if (!ids.length) { toast("所选通话中没有待审核的未通过项", "err"); return; }
    const verb = b.dataset.bulk === "confirmed" ? "确认" : "驳回";
    try {
      const out = await api("/v1/findings/verdicts", { method: "POST",
        body: { finding_ids: ids, verdict: b.dataset.bulk, comment: $("bulk-comment").value.trim() || null } });
      toast(`已批量${verb} ${out.count} 项`);
      reload();
    } catch (err) { toast(CS.errorText(err) + "（本批均未保存）", "err"); }
  }));

  const claim = $("bulk-claim");
  if (claim) claim.addEventListener("click", async () => {
    try {
      await api("/v1/review/assignments", { method: "POST", body: { call_ids: [...selected] } });
      toast(`已领取 ${selected.size} 通`);
      reload();
    } catch (err) { toast(CS.errorText(err), "err"); }
  });

  const cal = $("bulk-calibrate");
  if (cal) cal.addEventListener("click", async () => {
    let people = [];
    try { people = await api("/v1/review/reviewers"); } catch (err) { toast(CS.errorText(err), "err"); return; }
    const box = document.createElement("div");
    box.className = "panel";
    box.id = "calibrate-box";
    box.innerHTML = `<h2>发起校准（${selected.size} 通）</h2>
      <label class="small muted" for="cal-title">名称</label><input id="cal-title" maxlength="200" placeholder="如 十二月校准">
      <fieldset><legend class="small muted">参与质检员（至少两人，背对背审核）</legend>${people.map((u) => `<label class="small">
        <input type="checkbox" class="cal-who" value="${u.id}"> ${esc(u.name)}</label>`).join(" ")}</fieldset>
      <div class="btnrow"><button class="btn btn-primary" type="button" id="cal-start">开始校准</button></div>`;
    const old = $("calibrate-box");
    if (old) old.remove();
    bar.after(box);
    $("cal-start").addEventListener("click", async () => {
      const who = [...box.querySelectorAll(".cal-who:checked")].map((x) => Number(x.value));
      try {
        const out = await api("/v1/review/calibrations", { method: "POST",
          body: { title: $("cal-title").value.trim(), call_ids: [...selected], reviewer_ids: who } });
        location.href = "/ui/calibration?id=" + out.id;
      } catch (err) { toast(CS.errorText(err), "err"); }
    });
  });

  if (ME.role === "qa" || ME.role === "admin") fillRules();
})();
