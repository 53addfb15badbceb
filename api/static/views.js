/* Saved views and export on a list page: a view is the page's filters (its URL query)
   under a name, one click away; export downloads what the filters select. */
"use strict";

(() => {
  const { api, esc, toast, qs } = CS;
  const box = document.getElementById("views");
  if (!box) return;
  if (new URLSearchParams(location.search).has("drill")) { box.hidden = true; return; }  // a report's drill-down
  const page = box.dataset.page;
  const exportPath = { queue: "/v1/review/queue/export", search: "/v1/search/export" }[page];

  function current() {  // the filters as the URL holds them, without paging
    const p = new URLSearchParams(location.search);
    p.delete("offset");
    return p.toString();
  }

  async function render() {
    let views = [];
    try { views = await api("/v1/views" + qs({ page })); } catch (err) { box.hidden = true; return; }
    box.innerHTML = `<span class="small muted">已保存视图：</span>` +
      (views.map((v) => `<span class="viewchip"><a class="btn btn-sm view-open" href="?${esc(v.query)}" data-name="${esc(v.name)}">${esc(v.name)}</a>` +
        `<button class="linkbtn view-del" type="button" data-id="${v.id}" aria-label="删除视图 ${esc(v.name)}" title="删除">×</button></span>`).join("") ||
        '<span class="small muted">（无）</span>') +
      ' <label class="small muted" for="view-name">新视图</label><input id="view-name" class="small" maxlength="100" placeholder="视图名称">' +
      '<button class="btn btn-sm" type="button" id="view-save">保存当前筛选</button>';
    document.getElementById("view-save").onclick = async () => {
      const name = document.getElementById("view-name").value.trim();
      if (!name) { toast("请填写视图名称", "err"); document.getElementById("view-name").focus(); return; }
      try {
        await api("/v1/views", { method: "POST", body: { page, name, query: current() } });
        toast("视图已保存");
        render();
      } catch (err) { toast(CS.errorText(err), "err"); }
    };
    box.querySelectorAll(".view-del").forEach((b) => b.addEventListener("click", async () => {
      try { await api(`/v1/views/${b.dataset.id}`, { method: "DELETE" }); render(); } catch (err) { toast(CS.errorText(err), "err"); }
    }));
  }

  // Export: the API's own filters, from the page's URL (dates as the list pages send them).
  document.querySelectorAll("button.export").forEach((b) => b.addEventListener("click", () => {
    const p = new URLSearchParams(location.search);
    p.delete("offset");
    for (const k of ["from", "to"]) {
      const d = p.get(k);
      if (d && /^\d{4}-\d{2}-\d{2}$/.test(d)) p.set(k, CS.dayBound(d, k === "to"));
    }
    if (page === "search" && !p.get("q")) { toast("请先输入关键词", "err"); return; }
    p.set("format", b.dataset.format);
    location.href = exportPath + "?" + p.toString();
  }));

  render();
})();
